"""Request and response bodies of the EPCIS query interface."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, Field

from core.requests import RequestModel

QUERY_NAME = r"^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$"


class NewNamedQuery(RequestModel):
    name: str = Field(pattern=QUERY_NAME, max_length=128, description="Letters, digits and . _ ~ - (it goes into URLs)")
    query: dict[str, Any] = Field(description="SimpleEventQuery parameters (EPCIS 2.0 query schema)")


class NamedQuery(BaseModel):
    name: str
    query: dict[str, Any]
    owner: str | None = None
    created: datetime | None = None


class Schedule(RequestModel):
    """EPCIS QuerySchedule: each field a value, a list `1,5`, a range `1-5` or `[1-5]`, `*` or `*/n`."""
    second: str | None = Field(None, max_length=256)
    minute: str | None = Field(None, max_length=256)
    hour: str | None = Field(None, max_length=256)
    dayOfMonth: str | None = Field(None, max_length=256)
    month: str | None = Field(None, max_length=256)
    dayOfWeek: str | None = Field(None, max_length=256)


class NewSubscription(RequestModel):
    dest: str = Field(max_length=2048, description="http(s) URL the results are POSTed to (signed)")
    schedule: Schedule | None = None
    stream: bool = False
    reportIfEmpty: bool = False
    signatureToken: str | None = Field(None, min_length=16, max_length=256, description=(
        "HMAC key for this subscription's X-Tracegraph-Signature (default: TRACEGRAPH_WEBHOOK_SECRET)"))
    initialRecordTime: AwareDatetime | None = Field(
        None, description="Report events recorded from then on (default: from now)")


class Subscription(BaseModel):
    subscriptionID: str
    queryName: str
    dest: str
    schedule: Schedule | None = None
    stream: bool
    reportIfEmpty: bool
    createdAt: datetime | None = None
    lastRun: datetime | None = None
    runs: int = 0
    lastStatus: str | None = Field(None, description=(
        "how the last delivery attempt went: delivered, empty, retrying, dead-lettered or failed"))
    lastError: str | None = Field(None, description="why the last delivery attempt failed (null when it was sent)")
    lastJob: str | None = Field(None, description="the delivery job of the last attempt (GET /v1/jobs/{id})")
    pendingJob: str | None = Field(None, description="the delivery job queued last (GET /v1/jobs/{id})")
