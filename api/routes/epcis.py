"""EPCIS 2.0 REST binding subset: capture (jobs) and the event query, at /epcis."""
from __future__ import annotations

import threading
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response

from api.auth import Principal, require
from api.deps import DB
from tracegraph.capture import query
from tracegraph.capture.errors import EpcisProblem, UnsupportedMediaType
from tracegraph.capture.models import CaptureJob
from tracegraph.capture.service import CaptureService

JSON_LD = "application/ld+json"
HEADERS = {"GS1-EPCIS-Version": "2.0.0", "GS1-CBV-Version": "2.0.0"}
MEDIA_TYPES = ("application/json", "application/ld+json", "application/xml", "text/xml")
SYNTAX = {"application/json": "json", "application/ld+json": "json", "application/xml": "xml", "text/xml": "xml"}

capture = APIRouter(dependencies=[Depends(require("events:write"))])
read = APIRouter(dependencies=[Depends(require("events:read"))])
router = APIRouter(prefix="/epcis", tags=["epcis"])
_lock = threading.Lock()


def _service(request: Request) -> CaptureService:
    with _lock:
        if getattr(request.app.state, "capture", None) is None:
            request.app.state.capture = CaptureService(request.app.state.db)
        return request.app.state.capture


@capture.post("/capture", status_code=202, summary="Capture an EPCIS 2.0 document (JSON-LD or XML)",
              responses={202: {"description": "Accepted; Location names the capture job"}})
async def capture_document(request: Request, principal: Principal = Depends(require("events:write"))) -> Response:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in MEDIA_TYPES:
        raise UnsupportedMediaType(f"content type {media or '(none)'!r}; send one of {', '.join(MEDIA_TYPES)}",
                                   field="Content-Type")
    body = await request.body()
    service = _service(request)
    from starlette.concurrency import run_in_threadpool
    job_id = await run_in_threadpool(service.submit, body, principal.id, getattr(request.state, "request_id", None),
                                     SYNTAX[media])
    return Response(status_code=202, headers={"Location": f"/epcis/capture/{job_id}", **HEADERS})


@capture.get("/capture/{capture_id}", response_model=CaptureJob, summary="A capture job: running, success or errors")
def capture_job(request: Request, capture_id: str) -> CaptureJob:
    return _service(request).job(capture_id)


@read.get("/events", summary="Events matching a SimpleEventQuery subset, as an EPCISQueryDocument",
          response_class=JSONResponse)
def events(db: DB, request: Request) -> Response:
    params = dict(request.query_params)
    document, token = query.query_events(db, params)
    headers = dict(HEADERS)
    if token:
        params["nextPageToken"] = token
        headers["Link"] = f'<{request.url.path}?{urlencode(params)}>; rel="next"'
    return JSONResponse(document, media_type=JSON_LD, headers=headers)


@read.get("/events/{event_id:path}", summary="One event by its eventID, in EPCIS 2.0 JSON-LD",
          response_class=JSONResponse)
def event(db: DB, event_id: str) -> Response:
    return JSONResponse(query.get_event(db, event_id), media_type=JSON_LD, headers=HEADERS)


router.include_router(capture)
router.include_router(read)


def install(app: FastAPI) -> None:
    """EPCIS errors carry the REST binding's problem types (`epcisException:...`)."""
    @app.exception_handler(EpcisProblem)
    async def epcis_problem(request: Request, exc: EpcisProblem):
        body = {"type": exc.type, "title": exc.title, "status": exc.status, "detail": exc.detail,
                "instance": request.url.path}
        body.update({k: v for k, v in {"field": exc.field, **exc.extra}.items() if v is not None})
        return JSONResponse(body, status_code=exc.status, media_type="application/problem+json")
