from core.errors import TracegraphError


class InvalidScopeRequest(TracegraphError):
    status = 422
    slug = "invalid-scope-request"
    title = "Invalid recall scope request"
