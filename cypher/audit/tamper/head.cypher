// Test only: what an attacker with database access might do (rewrite the chain head).
MATCH (h:AuditHead {id: 'chain'})
SET h.seq = $seq, h.hash = $hash
