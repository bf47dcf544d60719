// Audit records with no numeric sequence number: never written by the service.
MATCH (r:AuditRecord)
WHERE r.seq IS NULL OR NOT (r.seq IS :: INTEGER OR r.seq IS :: FLOAT)
RETURN r {.*} AS record, elementId(r) AS node
LIMIT 1
