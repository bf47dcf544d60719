// Tests: links without a sound `known` (none, or before their event's time) or, ended, `end_known`.
MATCH ()-[x:IN|WAS_IN|INTO|WAS_INTO|HAS_ITEM]->()
WHERE x.known IS NULL OR x.known < coalesce(x.start, x.time, x.known) OR
      (x.end IS NOT NULL AND (x.end_known IS NULL OR x.end_known < x.end))
RETURN count(x) AS links
