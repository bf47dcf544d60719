// Start a restore: take the chain head's lock (writers wait, then see `restoring` and
// refuse) and report what else the database holds.
MERGE (h:AuditHead {id: 'chain'})
ON CREATE SET h.seq = 0, h.hash = $genesis
SET h.restoring = true
WITH h
CALL () {
  MATCH (n)
  RETURN count(n) AS nodes
}
RETURN nodes - 1 AS others, h.seq AS seq
