// Start a restore: take the chain head's lock (writers wait, then see `restoring` and
// refuse) and report what else the database holds (migration records are schema, not data).
MERGE (h:AuditHead {id: 'chain'})
ON CREATE SET h.seq = 0, h.hash = $genesis
SET h.restoring = true
WITH h
CALL () {
  MATCH (n) WHERE NOT n:SchemaMigration
  RETURN count(n) AS nodes
}
RETURN nodes - 1 AS others, h.seq AS seq
