"""Alerts errors (problem types)."""
from core.errors import TracegraphError


class InvalidTransition(TracegraphError):
    status = 409
    slug = "invalid-alert-transition"
    title = "Invalid alert transition"

