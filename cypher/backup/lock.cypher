// Hold the audit chain head's write lock for the whole backup: every write appends an
// audit record, so writers wait and the snapshot is consistent. The value is unchanged.
MERGE (h:AuditHead {id: 'chain'})
ON CREATE SET h.seq = 0, h.hash = $genesis
SET h.seq = h.seq
