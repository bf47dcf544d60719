MATCH (h:AuditHead {id: 'chain'})
CREATE (r:AuditRecord)
SET r = $record, h.seq = $record.seq, h.hash = $record.hash
