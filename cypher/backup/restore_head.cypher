// The restored chain head: the backup's, still marked as restoring.
MATCH (h:AuditHead {id: 'chain'})
SET h = $props, h.restoring = true
