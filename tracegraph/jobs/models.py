from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from tracegraph.jobs.enums import Status


class Job(BaseModel):
    id: str
    kind: str
    status: Status
    attempts: int = Field(description="attempts started so far (a re-run after a worker died counts)")
    max_attempts: int
    orphaned: int = Field(0, description="times the job was taken over from a worker whose lease expired")
    created: datetime
    run_at: datetime = Field(description="due at (a retry waits for its backoff)")
    started: datetime | None = None
    finished: datetime | None = None
    owner: str | None = Field(None, description="the worker holding the lease while running")
    finished_by: str | None = Field(None, description="the worker whose attempt succeeded")
    lease_until: datetime | None = None
    payload: dict[str, Any] = {}
    result: dict[str, Any] | None = None
    error: str | None = None


class JobPage(BaseModel):
    jobs: list[Job]
    count: int = Field(description="jobs on this page")
    total: int = Field(description="jobs matching the filters, on every page")
    next_offset: int | None = Field(None, description="`offset` of the next page; null on the last page")
