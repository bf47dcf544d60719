"""What the capture and query endpoints return."""
from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class CaptureError(BaseModel):
    type: str
    title: str
    detail: str
    field: str | None = None
    eventIndex: int | None = None


class CaptureJob(BaseModel):
    """The EPCIS REST binding's capture job: running until its document committed (success)
    or was refused / could not be written (errors; nothing of it was written)."""
    captureID: str
    createdAt: datetime
    finishedAt: datetime | None = None
    running: bool
    success: bool
    captureErrorBehaviour: str = "rollback"
    errors: list[CaptureError] = []
    eventsNew: int | None = None
    eventsSkipped: int | None = None
    eventsDeclared: int | None = None
    noop: bool | None = None  # the same content was captured before: nothing changed
