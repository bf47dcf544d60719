"""EPCIS 2.0 REST binding, query side (/epcis): named queries, subscriptions (webhook and
WebSocket), the top-level resources, content negotiation, and capture discovery."""
from __future__ import annotations

import asyncio
import json
import logging
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, Request, WebSocket, WebSocketDisconnect
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from api import problems
from api.auth import Principal, require
from api.deps import DB
from api.routes.epcis import QUERY_DOCUMENT
from core.errors import Forbidden, TracegraphError, Unauthorized
from tracegraph.epcis_query import service, subscriptions
from tracegraph.epcis_query.errors import EpcisProblem, NoSuchResourceException
from tracegraph.epcis_query.models import NamedQuery, NewNamedQuery, NewSubscription, Subscription
from tracegraph.epcis_query.poll import read_poll
from tracegraph.epcis_query.xml import query_document_xml
from tracegraph.security import roles
from tracegraph.security.service import KEY_PREFIX, authenticate_cached_key, authenticate_key
from tracegraph.security.tokens import authenticate_jwt

log = logging.getLogger("tracegraph.api.epcis")
VERSION = "2.0.0"
HEADERS = {"GS1-EPCIS-Version": VERSION, "GS1-CBV-Version": VERSION, "GS1-EPCIS-Min": VERSION,
           "GS1-EPCIS-Max": VERSION, "GS1-Extensions": ""}
MEDIA = {"application/ld+json": "application/ld+json", "application/json": "application/json",
         "application/xml": "application/xml", "text/xml": "application/xml", "*/*": "application/ld+json",
         "application/*": "application/ld+json"}
RESOURCES = {"eventTypes": "eventType", "epcs": "MATCH_anyEPC", "bizSteps": "EQ_bizStep",
             "bizLocations": "EQ_bizLocation", "readPoints": "EQ_readPoint", "dispositions": "EQ_disposition"}

read = APIRouter(dependencies=[Depends(require("queries:read"))])
write = APIRouter(dependencies=[Depends(require("queries:write"))])
capture = APIRouter(dependencies=[Depends(require("events:write"))])
router = APIRouter(prefix="/epcis", tags=["epcis"])


class NotAcceptable(EpcisProblem):
    status = 406
    slug = "epcis-not-acceptable"
    title = "Not acceptable"
    epcis_type = "epcisException:NotAcceptableException"


def _version(value: str) -> tuple[int, ...]:
    try:
        return tuple(int(p) for p in value.strip().split("."))
    except ValueError as exc:
        raise NotAcceptable(f"{value!r} is not a version number", field="GS1-EPCIS-Version") from exc


def negotiate(request: Request) -> str:
    """The answer's media type from Accept; the GS1 version headers must admit EPCIS 2.0."""
    mine = _version(VERSION)
    for header in ("GS1-EPCIS-Version", "GS1-CBV-Version"):
        asked = request.headers.get(header)
        if asked and _version(asked)[:2] != mine[:2]:
            raise NotAcceptable(f"{header} {asked}: this repository speaks {VERSION}", field=header)
    low, high = request.headers.get("GS1-EPCIS-Min"), request.headers.get("GS1-EPCIS-Max")
    if (low and _version(low) > mine) or (high and _version(high)[:2] < mine[:2]):
        raise NotAcceptable(f"GS1-EPCIS-Min/Max exclude {VERSION}, the only version here", field="GS1-EPCIS-Min")
    accept = request.headers.get("accept") or "application/ld+json"
    ranked = []
    for i, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if media.lower() in MEDIA and q > 0:
            ranked.append((-q, i, MEDIA[media.lower()]))
    if not ranked:
        raise NotAcceptable(f"Accept {accept!r}: answers are application/ld+json, application/json or "
                            "application/xml", field="Accept")
    return min(ranked)[2]


def answer(request: Request, media: str, document: dict, token: str | None) -> Response:
    headers = dict(HEADERS)
    if token:
        params = {k: v for k, v in request.query_params.items() if k != "nextPageToken"}
        params["nextPageToken"] = token
        headers["Link"] = f'<{request.url.path}?{urlencode(params)}>; rel="next"'
    if media == "application/xml":
        return Response(query_document_xml(document), media_type=media, headers=headers)
    return JSONResponse(document, media_type=media, headers=headers)


def query_answer(request: Request, db, principal: Principal, params: dict) -> Response:
    """GET /epcis/events and the resource /{id}/events answers (sync: run in the pool)."""
    media = negotiate(request)
    q = service.parse(db, params, from_url=True)
    rows, token = service.run_query(db, q, principal)
    return answer(request, media, service.query_document(rows), token)


_QUERY_SCHEMA = {"type": "object", "title": "EPCISQueryDocument"}
QUERY_RESPONSES = {200: {"description": "An EPCISQueryDocument, in the syntax Accept asks for", "content": {
    "application/ld+json": {"schema": _QUERY_SCHEMA, "example": QUERY_DOCUMENT},
    "application/json": {"schema": _QUERY_SCHEMA, "example": QUERY_DOCUMENT},
    "application/xml": {"schema": {"type": "string", "description": "EPCISQueryDocument in XML"},
                        "example": '<epcisq:EPCISQueryDocument xmlns:epcisq="urn:epcglobal:epcis-query:xsd:2" '
                                   'schemaVersion="2.0">...</epcisq:EPCISQueryDocument>'}}}}
COLLECTION_RESPONSES = {200: {"description": "The values, one page (Link: rel=next for more)", "content": {
    "application/json": {"schema": {"type": "object", "properties": {
        "@context": {"type": "string"}, "type": {"type": "string"},
        "member": {"type": "array", "items": {"type": "string"}}}},
        "example": {"@context": "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
                    "type": "Collection", "member": ["urn:epc:id:sgtin:0614141.812345.1"]}}}}}
CAPTURE_JOBS_EXAMPLE = [{"captureID": "0123456789ab", "createdAt": "2025-01-01T00:00:00Z",
                         "finishedAt": "2025-01-01T00:00:01Z", "running": False, "success": True,
                         "captureErrorBehaviour": "rollback", "errors": [], "eventsNew": 1, "eventsSkipped": 0}]
CAPTURE_JOBS_RESPONSES = {200: {"description": "Capture jobs, newest first", "content": {"application/json": {
    "schema": {"type": "array", "items": {"type": "object"}}, "example": CAPTURE_JOBS_EXAMPLE}}}}


# -- named queries --------------------------------------------------------------------------

XML_MEDIA = ("application/xml", "text/xml")
NEW_QUERY_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": NewNamedQuery.model_json_schema()},
    "application/xml": {"schema": {"type": "string", "description": "EPCISQueryDocument with a Poll; "
                                                                    "the name goes in ?name="}}}}}


@write.post("/queries", status_code=201, response_model=NamedQuery, openapi_extra=NEW_QUERY_BODY,
            responses=problems.responses(409),
            summary="Create a named query (a SimpleEventQuery, checked now): JSON, or an XML Poll with ?name=")
async def create_query(db: DB, request: Request,
                       principal: Principal = Depends(require("queries:write"))) -> Response:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw = await request.body()
    try:
        if media in XML_MEDIA:
            params = await run_in_threadpool(read_poll, raw)
            body = NewNamedQuery(name=request.query_params.get("name", ""), query=params)
        else:
            body = NewNamedQuery.model_validate_json(raw or b"null")
    except ValidationError as exc:
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]) from exc
    made = await run_in_threadpool(service.create_named, db, body, principal,
                                   getattr(request.state, "request_id", None))
    return JSONResponse(json.loads(made.model_dump_json()), status_code=201,
                        headers={"Location": f"/epcis/queries/{made.name}", **HEADERS})


@read.get("/queries", response_model=list[NamedQuery], summary="Named queries (a partner's: its own)")
def list_queries(db: DB, principal: Principal = Depends(require("queries:read"))) -> list[NamedQuery]:
    return service.list_named(db, principal)


@read.get("/queries/{name}", response_model=NamedQuery, summary="One named query")
def get_query(db: DB, name: str, principal: Principal = Depends(require("queries:read"))) -> NamedQuery:
    return service.get_named(db, name, principal)


@write.delete("/queries/{name}", status_code=204, summary="Delete a named query and end its subscriptions")
def delete_query(db: DB, request: Request, name: str,
                 principal: Principal = Depends(require("queries:write"))) -> Response:
    service.delete_named(db, name, principal, getattr(request.state, "request_id", None))
    return Response(status_code=204, headers=HEADERS)


@read.get("/queries/{name}/events", summary="Run a named query (paged: perPage, nextPageToken)",
          response_class=JSONResponse, responses=QUERY_RESPONSES)
def query_events(db: DB, request: Request, name: str,
                 principal: Principal = Depends(require("queries:read"))) -> Response:
    media = negotiate(request)
    _, rows, token = service.named_events(db, name, principal, dict(request.query_params))
    return answer(request, media, service.query_document(rows, name), token)


@write.post("/queries/{name}/subscriptions", status_code=201, response_model=Subscription,
            summary="Subscribe a signed webhook to a named query (schedule, or stream: true)")
def subscribe(db: DB, request: Request, name: str, body: NewSubscription,
              principal: Principal = Depends(require("queries:write"))) -> Response:
    made = subscriptions.create(db, name, body, principal, getattr(request.state, "request_id", None))
    return JSONResponse(json.loads(made.model_dump_json()), status_code=201,
                        headers={"Location": f"/epcis/queries/{name}/subscriptions/{made.subscriptionID}",
                                 **HEADERS})


@read.get("/queries/{name}/subscriptions", response_model=list[Subscription],
          summary="A named query's subscriptions (a WebSocket here streams live results)")
def list_subscriptions(db: DB, name: str,
                       principal: Principal = Depends(require("queries:read"))) -> list[Subscription]:
    return subscriptions.list_for(db, name, principal)


@write.delete("/queries/{name}/subscriptions/{subscription_id}", status_code=204, summary="End a subscription")
def unsubscribe(db: DB, request: Request, name: str, subscription_id: str,
                principal: Principal = Depends(require("queries:write"))) -> Response:
    subscriptions.delete(db, name, subscription_id, principal, getattr(request.state, "request_id", None))
    return Response(status_code=204, headers=HEADERS)


async def _ws_principal(websocket: WebSocket) -> Principal:
    """The caller of a WebSocket, with the credentials HTTP calls use (or `?apiKey=`)."""
    header = websocket.headers.get("authorization")
    if header:
        scheme, _, value = header.partition(" ")
        presented = value.strip() if scheme.lower() == "bearer" else ""
    else:
        presented = websocket.headers.get("x-api-key") or websocket.query_params.get("apiKey")
    if not presented:
        raise Unauthorized("missing or invalid credentials")
    db = websocket.app.state.db
    if presented.startswith(KEY_PREFIX):
        return authenticate_cached_key(presented) or await run_in_threadpool(authenticate_key, db, presented)
    return await run_in_threadpool(authenticate_jwt, db.settings, presented)


@router.websocket("/queries/{name}/subscriptions")
async def live(websocket: WebSocket, name: str) -> None:
    """Live results: each message is an EPCISQueryDocument of events recorded since the last.
    Credentials as for HTTP (Authorization or X-API-Key header, or `?apiKey=` for browsers)."""
    db = websocket.app.state.db
    try:
        principal = await _ws_principal(websocket)
        if not roles.allows(principal.roles, "queries:read"):
            raise Forbidden("this call needs the permission 'queries:read'")
        named = await run_in_threadpool(service.get_named, db, name, principal)
    except TracegraphError as exc:
        await websocket.close(code=4404 if exc.status == 404 else 4403 if exc.status == 403 else 4401,
                              reason=exc.detail[:120])
        return
    await websocket.accept()
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue = asyncio.Queue()
    listener = subscriptions.Listener(name=name, query=named.query, principal=principal,
                                      send=lambda doc: loop.call_soon_threadsafe(queue.put_nowait, doc))
    dispatcher = websocket.app.state.epcis_dispatcher
    dispatcher.listen(listener)
    await websocket.send_json({"type": "subscribed", "queryName": name})

    async def pump() -> None:
        while True:
            await websocket.send_json(await queue.get())
    sender = asyncio.create_task(pump())
    try:
        while True:
            await websocket.receive_text()  # the client may ping; a close ends the loop
    except WebSocketDisconnect:
        pass
    finally:
        sender.cancel()
        dispatcher.unlisten(listener)


# -- top-level resources --------------------------------------------------------------------

def _resource(kind: str):
    def values(db: DB, request: Request, principal: Principal = Depends(require("queries:read"))) -> Response:
        negotiate(request)
        limit = request.query_params.get("perPage", "100")
        if not limit.isdigit() or not 1 <= int(limit) <= 1000:
            raise service.QueryParameterException("perPage: a whole number from 1 to 1000", field="perPage")
        after = request.query_params.get("nextPageToken")
        found = service.resource_values(db, kind, principal, after, int(limit) + 1)
        headers = dict(HEADERS)
        if len(found) > int(limit):
            found = found[:int(limit)]
            headers["Link"] = f'<{request.url.path}?{urlencode({"perPage": limit, "nextPageToken": found[-1]})}>; ' \
                              'rel="next"'
        return JSONResponse({"@context": "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
                             "type": "Collection", "member": found}, headers=headers)

    def events(db: DB, request: Request, value: str,
               principal: Principal = Depends(require("queries:read"))) -> Response:
        params = dict(request.query_params)
        if RESOURCES[kind] in params:
            raise service.QueryParameterException(f"{RESOURCES[kind]}: given by the path already",
                                                  field=RESOURCES[kind])
        if kind == "eventTypes" and value not in service.EVENT_TYPES:
            raise NoSuchResourceException(f"no event type {value!r}", field="eventType")
        name = RESOURCES[kind]
        if kind == "epcs" and value.startswith(("urn:epc:class:", "urn:epc:idpat:")):
            name = "MATCH_anyEPCClass"  # a lot or product class: the events that counted it
        return query_answer(request, db, principal, {**params, name: value})
    return values, events


for _kind in RESOURCES:
    _values, _events = _resource(_kind)
    read.add_api_route(f"/{_kind}", _values, methods=["GET"], summary=f"The {_kind} in the events you may see",
                       responses=COLLECTION_RESPONSES)
    read.add_api_route(f"/{_kind}/{{value:path}}/events", _events, methods=["GET"],
                       summary=f"Events of one of the {_kind}", response_class=JSONResponse,
                       responses=QUERY_RESPONSES)


# -- capture discovery ----------------------------------------------------------------------

@capture.options("/capture", status_code=204, summary="Capture limits (GS1-Capture-Limit, -File-Size-Limit)")
def capture_options(request: Request) -> Response:
    settings = request.app.state.db.settings
    return Response(status_code=204, headers={
        **HEADERS, "Allow": "OPTIONS, GET, POST",
        "GS1-Capture-Limit": str(settings.capture_max_events),
        "GS1-Capture-File-Size-Limit": str(settings.capture_max_bytes),
        "GS1-Capture-Error-Behaviour": "rollback", "Accept-Post": "application/ld+json, application/json, "
                                                                  "application/xml, text/xml"})


@capture.get("/capture", summary="Capture jobs, newest first (paged: perPage, nextPageToken)",
             responses=CAPTURE_JOBS_RESPONSES)
def capture_jobs(db: DB, request: Request) -> Response:
    limit = request.query_params.get("perPage", "30")
    if not limit.isdigit() or not 1 <= int(limit) <= 1000:
        raise service.QueryParameterException("perPage: a whole number from 1 to 1000", field="perPage")
    jobs, token = service.capture_jobs(db, int(limit), request.query_params.get("nextPageToken"))
    headers = dict(HEADERS)
    if token:
        headers["Link"] = f'<{request.url.path}?{urlencode({"perPage": limit, "nextPageToken": token})}>; rel="next"'
    return JSONResponse(jobs, headers=headers)


router.include_router(read)
router.include_router(write)
router.include_router(capture)


def start(app: FastAPI) -> None:
    """At start-up (after graph.schema.migrate): the subscription dispatcher."""
    db = app.state.db
    app.state.epcis_dispatcher = subscriptions.Dispatcher(db, db.settings.subscription_poll_seconds).start()


def stop(app: FastAPI) -> None:
    dispatcher = getattr(app.state, "epcis_dispatcher", None)
    if dispatcher is not None:
        dispatcher.stop()
