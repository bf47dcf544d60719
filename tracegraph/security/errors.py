"""Security errors (problem types)."""
from core.errors import TracegraphError


class InvalidUser(TracegraphError):
    status = 422
    slug = "invalid-user"
    title = "Invalid user"


class SignatureRejected(TracegraphError):
    status = 403
    slug = "signature-rejected"
    title = "Electronic signature rejected"


class SignatureRequired(TracegraphError):
    status = 422
    slug = "signature-required"
    title = "Electronic signature required"

