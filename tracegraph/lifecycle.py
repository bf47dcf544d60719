"""A step in the life of a record that moves through states (alerts, investigations, CAPA):
who moved it from which state to which, when and why. One model, so every history reads alike."""
from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class Step(BaseModel):
    """One state change, as the record's history shows it."""

    from_state: str = Field(alias="from")
    to: str
    by: str
    at: datetime
    reason: str

    model_config = ConfigDict(populate_by_name=True)
