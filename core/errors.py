"""Domain errors. The API maps each to an RFC 9457 problem (stable `type`), the CLI to one line."""
from __future__ import annotations

PROBLEM_BASE = "https://tracegraph.dev/problems/"


class TracegraphError(Exception):
    status = 400
    slug = "bad-request"
    title = "Bad request"

    def __init__(self, detail: str, field: str | None = None, **extra):
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.extra = extra

    @property
    def type(self) -> str:
        return PROBLEM_BASE + self.slug


class NotFound(TracegraphError):
    status = 404
    slug = "not-found"
    title = "Not found"


class InvalidIdentifier(TracegraphError):
    status = 422
    slug = "invalid-identifier"
    title = "Invalid identifier"


class InvalidDocument(TracegraphError):
    status = 422
    slug = "invalid-document"
    title = "Invalid EPCIS document"


class DatabaseUnavailable(TracegraphError):
    status = 503
    slug = "database-unavailable"
    title = "Database unavailable"


class Unauthorized(TracegraphError):
    status = 401
    slug = "unauthorized"
    title = "Unauthorized"


class Forbidden(TracegraphError):
    status = 403
    slug = "forbidden"
    title = "Forbidden"


class Conflict(TracegraphError):
    status = 409
    slug = "conflict"
    title = "Conflict"


class PayloadTooLarge(TracegraphError):
    status = 413
    slug = "payload-too-large"
    title = "Request body too large"


class RateLimited(TracegraphError):
    status = 429
    slug = "rate-limited"
    title = "Too many requests"


class InvalidJson(TracegraphError):
    status = 400
    slug = "invalid-json"
    title = "Invalid JSON body"


class UnsupportedMediaType(TracegraphError):
    status = 415
    slug = "unsupported-media-type"
    title = "Unsupported media type"
