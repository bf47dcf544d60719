from core.errors import Conflict, NotFound, PayloadTooLarge, TracegraphError


class InvestigationNotFound(NotFound):
    pass


class InvalidTransition(Conflict):
    slug = "invalid-investigation-transition"
    title = "Invalid investigation transition"


class InvestigationClosed(Conflict):
    slug = "investigation-closed"
    title = "Investigation closed"


class RootCauseMissing(Conflict):
    slug = "root-cause-missing"
    title = "Root cause not recorded"


class UnknownCategory(TracegraphError):
    status = 422
    slug = "unknown-root-cause-category"
    title = "Unknown root-cause category"


class EvidenceTooLarge(PayloadTooLarge):
    slug = "evidence-too-large"
    title = "Evidence file too large"


class UnsupportedEvidenceType(TracegraphError):
    status = 415
    slug = "unsupported-evidence-type"
    title = "Evidence content type not accepted"


class EvidenceMissing(TracegraphError):
    """The stored bytes are gone or no longer match their hash (not the client's doing)."""
    status = 500
    slug = "evidence-unavailable"
    title = "Evidence file unavailable"


class InvalidRequest(TracegraphError):
    """A request the models accept but the rules refuse (same problem type as a schema error)."""
    status = 422
    slug = "validation-error"
    title = "Invalid request"
