// The restore is over (in the transaction of its own audit record): writes go on.
MATCH (h:AuditHead {id: 'chain'})
REMOVE h.restoring
