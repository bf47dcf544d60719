// Tests: the actions in the audit trail.
MATCH (r:AuditRecord)
RETURN r.action AS action, r.subject AS subject, r.esign_signer AS signer
