// Allocate the next sequence number. `SET h.seq = h.seq + 1` takes the head's write lock
// before it reads (a direct dependency), so concurrent appends are serialised and the
// hash and key read below are those of the last committed record. A rollback undoes it.
MERGE (h:AuditHead {id: 'chain'})
ON CREATE SET h.seq = 0, h.hash = $genesis
SET h.seq = h.seq + 1, h.touched = $now
RETURN h.seq AS seq, h.hash AS hash, h.key_id AS key_id, h.restoring AS restoring
