// Filtered records in chain order. Times are fixed-width UTC ISO strings, so string order is time order.
MATCH (r:AuditRecord)
WHERE ($subject IS NULL OR r.subject = $subject)
  AND ($actor IS NULL OR r.actor = $actor)
  AND ($action IS NULL OR r.action = $action)
  AND ($from IS NULL OR r.time >= $from)
  AND ($to IS NULL OR r.time < $to)
  AND r.seq > $after
RETURN r {.*} AS record
ORDER BY r.seq
LIMIT $limit
