// Test only: what an attacker with database access might do.
CREATE (r:AuditRecord)
SET r = $props
