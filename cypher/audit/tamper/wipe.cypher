// Test only: what an attacker with database access might do (remove the whole trail).
MATCH (n)
WHERE n:AuditRecord OR n:AuditHead
DELETE n
