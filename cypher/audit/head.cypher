// The chain head. Writing to it takes its write lock, so appends from concurrent
// transactions are serialised and each sees the previous record's hash.
MERGE (h:AuditHead {id: 'chain'})
ON CREATE SET h.seq = 0, h.hash = $genesis
SET h.touched = $now
RETURN h.seq AS seq, h.hash AS hash
