// Take the audit chain head's write lock for the whole backup: every write appends an
// audit record, so writers wait and the snapshot is consistent. The lock is taken by a
// write that reads nothing (`SET h.seq = h.seq` could write back a value read before the
// lock, undoing a concurrent append); the head is read after the lock.
MERGE (h:AuditHead {id: 'chain'})
ON CREATE SET h.seq = 0, h.hash = $genesis
SET h.backup = $now
RETURN h.seq AS seq, h.hash AS hash, h.restoring AS restoring
