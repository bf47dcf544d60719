// The head already holds this record's sequence number (audit/head); now its hash and
// the key that signs the next record.
MATCH (h:AuditHead {id: 'chain'})
CREATE (r:AuditRecord)
SET r = $record, h.hash = $record.hash, h.key_id = $next_key
