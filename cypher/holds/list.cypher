// Holds, newest first; `subject`: only holds covering that object or lot.
MATCH (h:Hold)
WHERE ($active IS NULL OR (h.released IS NULL) = $active)
  AND ($subject IS NULL OR EXISTS { MATCH (h)-[:HOLDS]->(x) WHERE x.epc = $subject }
       OR (h.kind = 'site' AND h.target = $subject))
RETURN h {.*} AS hold
ORDER BY h.created DESC, h.id
LIMIT $limit
