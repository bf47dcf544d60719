from core.errors import TracegraphError


class AuditUnavailable(TracegraphError):
    """The trail cannot take a record now; the write is refused (nothing is written)."""
    status = 503
    slug = "audit-unavailable"
    title = "Audit trail unavailable"


class AuditKeyMismatch(AuditUnavailable):
    slug = "audit-key-mismatch"
    title = "Audit key is not the chain's key"


class RestoreInProgress(AuditUnavailable):
    slug = "restore-in-progress"
    title = "A restore is in progress"


class CheckpointRefused(AuditUnavailable):
    status = 409
    slug = "audit-checkpoint-refused"
    title = "The audit trail does not verify; no checkpoint written"


class KeyFileError(Exception):
    """The audit key file cannot be read or made."""
