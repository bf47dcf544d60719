from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from core.requests import RequestModel
from tracegraph.alerts.enums import Severity, State
from tracegraph.lifecycle import Step


class Alert(BaseModel):
    id: str
    rule: str
    subject: str
    state: State
    severity: Severity
    base_severity: Severity
    grade_reason: list[str]
    team: str
    events: list[str]
    detail: dict[str, Any]
    product_line: str | None = None
    region: str | None = None
    evidence_time: datetime | None = None
    created: datetime
    updated: datetime
    last_seen: datetime
    closed: datetime | None = None
    detections: int
    steps: list[Step] = []


class AlertPage(BaseModel):
    alerts: list[Alert]
    count: int = Field(description="alerts on this page")
    total: int = Field(description="alerts matching the filters, on every page")
    next_offset: int | None = Field(None, description="`offset` of the next page; null on the last page")


class TransitionRequest(RequestModel):
    to: State
    reason: str = Field(min_length=1, max_length=2000)


class Attempt(BaseModel):
    n: int
    at: datetime
    status: int | None = None
    error: str | None = None
    seconds: float


class Delivery(BaseModel):
    alert: str
    id: str
    url: str
    state: str
    attempts: int
    last_status: int | None = None
    last_error: str | None = None
    created: datetime
    log: list[Attempt]
