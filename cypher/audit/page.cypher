// Records in chain order, one page after sequence number $after.
MATCH (r:AuditRecord)
WHERE r.seq > $after
RETURN r {.*} AS record, elementId(r) AS node
ORDER BY r.seq
LIMIT $limit
