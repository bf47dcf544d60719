from core.errors import TracegraphError


class QualityRejected(TracegraphError):
    """A document broke a check whose policy is `reject`; every violation is listed."""
    status = 422
    slug = "quality-rejected"
    title = "Document refused by data-quality checks"


class InvalidPolicy(TracegraphError):
    status = 422
    slug = "invalid-quality-policy"
    title = "Invalid data-quality policy"
