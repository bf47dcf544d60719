"""Rules errors (problem types)."""
from core.errors import TracegraphError


class InvalidRulesConfig(TracegraphError):
    status = 422
    slug = "invalid-rules-config"
    title = "Invalid rules configuration"

