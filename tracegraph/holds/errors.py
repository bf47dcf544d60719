"""Holds errors (problem types)."""
from core.errors import TracegraphError


class HeldItems(TracegraphError):
    status = 409
    slug = "held-items"
    title = "Shipping of held items refused"


class HoldReleased(TracegraphError):
    status = 409
    slug = "hold-released"
    title = "Hold already released"

