// Test only: what an attacker with database access might do.
MATCH (r:AuditRecord {seq: $seq})
DELETE r
