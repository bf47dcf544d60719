// Test only: what an attacker with database access might do (reorder two records).
MATCH (a:AuditRecord {seq: $a}), (b:AuditRecord {seq: $b})
SET a.seq = -1
WITH a, b
SET b.seq = $a
WITH a, b
SET a.seq = $b
