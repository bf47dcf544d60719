// Test only: one record as stored.
MATCH (r:AuditRecord {seq: $seq})
RETURN r {.*} AS record
