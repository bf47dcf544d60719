// What the chain head says now (no lock).
OPTIONAL MATCH (h:AuditHead {id: 'chain'})
RETURN h.seq AS seq, h.hash AS hash, h.key_id AS key_id, h.restoring AS restoring
