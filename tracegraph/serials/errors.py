"""Serials errors (problem types)."""
from core.errors import TracegraphError


class InvalidFilter(TracegraphError):
    status = 422
    slug = "invalid-filter"
    title = "Invalid filter"

