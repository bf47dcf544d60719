"""EPCIS 2.0 REST binding subset: capture (jobs) and the event query, at /epcis."""
from __future__ import annotations

import threading

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from api import problems
from api.auth import Principal, require
from api.deps import DB
from tracegraph.capture.errors import EpcisProblem, QueryParameterException, UnsupportedMediaType
from tracegraph.capture.models import CaptureJob
from tracegraph.capture.service import CaptureService
from tracegraph.epcis_query import service as epcis_query

JSON_LD = "application/ld+json"
HEADERS = {"GS1-EPCIS-Version": "2.0.0", "GS1-CBV-Version": "2.0.0"}
MEDIA_TYPES = ("application/json", "application/ld+json", "application/xml", "text/xml")
SYNTAX = {"application/json": "json", "application/ld+json": "json", "application/xml": "xml", "text/xml": "xml"}

class CaptureAccepted(BaseModel):
    """A capture accepted for writing: poll `location` (also the Location header) for the job."""
    captureID: str
    location: str


class JsonLd(JSONResponse):
    media_type = JSON_LD


capture = APIRouter(dependencies=[Depends(require("events:write"))])
read = APIRouter(dependencies=[Depends(require("events:read"))])
router = APIRouter(prefix="/epcis", tags=["epcis"])
_lock = threading.Lock()


def _service(request: Request) -> CaptureService:
    with _lock:
        if getattr(request.app.state, "capture", None) is None:
            request.app.state.capture = CaptureService(request.app.state.db)
        return request.app.state.capture


EPCIS_DOCUMENT = {
    "type": "object", "title": "EPCISDocument",
    "description": "An EPCIS 2.0 document in JSON-LD, as the GS1 EPCIS 2.0 JSON Schema defines it (validated in "
                   "full on receipt). Limits: nesting depth 64, strings 65,536 characters, numbers at most 1e15 "
                   "in magnitude, UTF-8 only (docs/api-conventions.md).",
    "required": ["@context", "type", "schemaVersion", "creationDate", "epcisBody"],
    "properties": {
        "@context": {"description": "JSON-LD context: the EPCIS context URL, and extension namespaces"},
        "type": {"type": "string", "enum": ["EPCISDocument"]},
        "schemaVersion": {"type": "string", "enum": ["2.0"]},
        "creationDate": {"type": "string", "format": "date-time"},
        "epcisHeader": {"type": "object", "description": "Optional master data (vocabularyList)"},
        "epcisBody": {"type": "object", "required": ["eventList"], "properties": {
            "eventList": {"type": "array", "description": "ObjectEvent, AggregationEvent, TransformationEvent, "
                                                          "AssociationEvent or TransactionEvent objects",
                          "items": {"type": "object"}}}},
    },
}
EXAMPLE_DOCUMENT = {
    "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"], "type": "EPCISDocument",
    "schemaVersion": "2.0", "creationDate": "2025-01-01T00:00:00Z",
    "epcisBody": {"eventList": [{
        "type": "ObjectEvent", "eventTime": "2025-01-01T00:00:00Z", "eventTimeZoneOffset": "+00:00",
        "epcList": ["urn:epc:id:sgtin:0614141.812345.1"], "action": "OBSERVE", "bizStep": "inspecting",
        "readPoint": {"id": "urn:epc:id:sgln:0614141.00001.0"}}]},
}
EXAMPLE_XML = ('<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" '
               'creationDate="2025-01-01T00:00:00Z"><EPCISBody><EventList><ObjectEvent>...</ObjectEvent>'
               '</EventList></EPCISBody></epcis:EPCISDocument>')
QUERY_DOCUMENT = {
    "@context": EXAMPLE_DOCUMENT["@context"], "type": "EPCISQueryDocument", "schemaVersion": "2.0",
    "creationDate": "2025-01-02T00:00:00Z",
    "epcisBody": {"queryResults": {"queryName": "SimpleEventQuery",
                                   "resultsBody": {"eventList": EXAMPLE_DOCUMENT["epcisBody"]["eventList"]}}},
}
CAPTURE_BODY = {"requestBody": {"required": True, "description": "One EPCIS 2.0 document, JSON-LD or XML", "content": {
    "application/ld+json": {"schema": EPCIS_DOCUMENT, "example": EXAMPLE_DOCUMENT},
    "application/json": {"schema": EPCIS_DOCUMENT, "example": EXAMPLE_DOCUMENT},
    "application/xml": {"schema": {"type": "string", "description": "EPCIS 2.0 XML (urn:epcglobal:epcis:xsd:2)"},
                        "example": EXAMPLE_XML},
    "text/xml": {"schema": {"type": "string", "description": "EPCIS 2.0 XML"}, "example": EXAMPLE_XML}}}}


MAX_PARAMETER = 4096


def _param(name: str, description: str, example: str, **schema) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description, "example": example,
            "schema": {"type": "string", "maxLength": MAX_PARAMETER, **schema}}


EVENTS_QUERY = {"parameters": [
    _param("eventType", "Event types, '|'-separated", "ObjectEvent|AggregationEvent"),
    _param("EQ_bizStep", "Business steps (CBV short names or URIs), '|'-separated", "shipping"),
    _param("EQ_bizLocation", "Business locations (SGLN EPC URNs), '|'-separated", "urn:epc:id:sgln:0614141.00001.0"),
    _param("MATCH_epc", "EPCs in epcList or childEPCs, '|'-separated", "urn:epc:id:sgtin:0614141.812345.1"),
    _param("MATCH_anyEPC", "EPCs in any role (parent, child, input, output too)", "urn:epc:id:sscc:0614141.0000000001"),
    _param("GE_eventTime", "Events at or after (ISO 8601 with offset)", "2025-01-01T00:00:00Z", format="date-time"),
    _param("LT_eventTime", "Events before (ISO 8601 with offset)", "2026-01-01T00:00:00Z", format="date-time"),
    _param("perPage", "Events per page (1-1000, default 30)", "30", pattern=r"^[0-9]{1,4}$"),
    _param("nextPageToken", "From the Link header of the previous page", "eyJmIjoi..."),
]}


@capture.post("/capture", status_code=202, summary="Capture an EPCIS 2.0 document (JSON-LD or XML)",
              description="Everything that can be checked at once is checked before the 202: syntax (by "
                          "Content-Type), limits, the EPCIS 2.0 JSON Schema, identifiers, the data-quality checks "
                          "that reject, and holds that block shipping. The job (Location) then writes the "
                          "document in one transaction.",
              openapi_extra=CAPTURE_BODY,
              response_model=CaptureAccepted,
              responses={202: {"description": "Accepted; Location names the capture job",
                               "headers": {"Location": {"schema": {"type": "string"},
                                                        "description": "/epcis/capture/{captureID}"}}},
                         **problems.responses(400, 409, 413, 415, 422)})
async def capture_document(request: Request,
                           principal: Principal = Depends(require("events:write"))) -> CaptureAccepted:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in MEDIA_TYPES:
        raise UnsupportedMediaType(f"content type {media or '(none)'!r}; send one of {', '.join(MEDIA_TYPES)}",
                                   field="Content-Type")
    body = await request.body()
    service = _service(request)
    from starlette.concurrency import run_in_threadpool
    job_id = await run_in_threadpool(service.submit, body, principal.id, getattr(request.state, "request_id", None),
                                     SYNTAX[media])
    location = f"/epcis/capture/{job_id}"  # the body names the job too, for clients that drop headers
    return JSONResponse({"captureID": job_id, "jobID": job_id, "status": "queued", "location": location},
                        status_code=202, headers={"Location": location, **HEADERS})


@capture.get("/capture/{capture_id}", response_model=CaptureJob, summary="A capture job: running, success or errors",
             responses=problems.responses(404))
def capture_job(request: Request, capture_id: str) -> CaptureJob:
    return _service(request).job(capture_id)


@read.get("/events", summary="Events matching a SimpleEventQuery, as an EPCISQueryDocument (JSON-LD or XML)",
          response_class=JsonLd, openapi_extra=EVENTS_QUERY,
          responses={200: {"content": {JSON_LD: {"schema": {"type": "object", "title": "EPCISQueryDocument"},
                                                 "example": QUERY_DOCUMENT}}},
                     **problems.responses(400)})
def events(db: DB, request: Request, principal: Principal = Depends(require("events:read"))) -> Response:
    from api.routes.epcis_queries import query_answer  # every SimpleEventQuery parameter (issue 19)
    params = dict(request.query_params)
    for name, value in params.items():
        if len(value) > MAX_PARAMETER:
            raise QueryParameterException(f"{name}: longer than {MAX_PARAMETER} characters", field=name)
    return query_answer(request, db, principal, params)


@read.get("/events/{event_id:path}", summary="One event by its eventID, in EPCIS 2.0 JSON-LD",
          response_class=JsonLd,
          responses={200: {"content": {JSON_LD: {"schema": {"type": "object", "title": "EPCISEvent"},
                                                 "example": EXAMPLE_DOCUMENT["epcisBody"]["eventList"][0]}}},
                     **problems.responses(404)})
def event(db: DB, event_id: str) -> Response:
    return JSONResponse(epcis_query.get_event(db, event_id), media_type=JSON_LD, headers=HEADERS)


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
