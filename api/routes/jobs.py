"""Durable jobs (capture, rule sweeps, webhook sends): their state, attempts and errors."""
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from api.auth import require
from api.deps import DB
from core.requests import MAX_OFFSET
from tracegraph.jobs import service
from tracegraph.jobs.enums import Kind, Status
from tracegraph.jobs.models import Job, JobPage

router = APIRouter(prefix="/v1/jobs", tags=["jobs"], dependencies=[Depends(require("jobs:read"))])


@router.get("", response_model=JobPage, summary="Jobs, newest first, by status and kind")
def list_jobs(db: DB, request: Request, response: Response, status: Status | None = None, kind: Kind | None = None,
              limit: Annotated[int, Query(ge=1, le=1000)] = 100,
              offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0) -> JobPage:
    page = service.listing(db, status=status.value if status else None, kind=kind.value if kind else None,
                           limit=limit, offset=offset)
    if page.next_offset is not None:
        response.headers["Link"] = f'<{request.url.include_query_params(offset=page.next_offset)}>; rel="next"'
    return page


@router.get("/{id}", response_model=Job, summary="One job: status, attempts, lease, result or error")
def get_job(db: DB, id: Annotated[str, Path(min_length=1, max_length=200)]) -> Job:
    return service.get(db, id)
