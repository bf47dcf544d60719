"""RFC 9457 problem+json for every error a client can cause; never a bare 500 body."""
from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from neo4j.exceptions import ServiceUnavailable, SessionExpired
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.errors import PROBLEM_BASE, TracegraphError

MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("tracegraph.api")


def problem(status: int, slug: str, title: str, detail: str, instance: str, **extra) -> JSONResponse:
    body = {"type": PROBLEM_BASE + slug, "title": title, "status": status, "detail": detail, "instance": instance}
    body.update({k: v for k, v in extra.items() if v is not None})
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE)


def allowed_methods(app: FastAPI, scope) -> list[str]:
    from fastapi.routing import iter_route_contexts
    from starlette.routing import Match
    literal: set[str] = set()
    methods: set[str] = set()
    for rc in iter_route_contexts(app.routes):
        if rc.methods and rc.matches({**scope, "method": "\0"})[0] != Match.NONE:
            methods |= set(rc.methods)
            if rc.path_format == scope["path"]:  # /v1/recall-scope/export, not /v1/recall-scope/{id}
                literal |= set(rc.methods)
    methods = literal or methods
    return sorted(methods | ({"HEAD"} if "GET" in methods else set()))


def install(app: FastAPI) -> None:
    @app.exception_handler(TracegraphError)
    async def domain_error(request: Request, exc: TracegraphError):
        return problem(exc.status, exc.slug, exc.title, exc.detail, request.url.path, field=exc.field, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        errors = [{"field": ".".join(str(p) for p in e["loc"] if p not in ("query", "path", "body")) or "body",
                   "in": str(e["loc"][0]) if e["loc"] else "body", "reason": e["msg"]} for e in exc.errors()]
        first = errors[0]
        return problem(422, "validation-error", "Invalid request",
                       f"{first['field']}: {first['reason']}", request.url.path, field=first["field"], errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        slug = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
        response = problem(exc.status_code, slug, str(exc.detail), str(exc.detail), request.url.path)
        response.headers.update(exc.headers or {})
        if exc.status_code == 405:  # Allow: every method of every route on this path (RFC 9110)
            response.headers["Allow"] = ", ".join(allowed_methods(request.app, request.scope))
        return response

    @app.exception_handler(OverflowError)
    async def out_of_range(request: Request, exc: OverflowError):
        # a number too large for the database (a 64-bit integer) that a bound let through
        return problem(400, "out-of-range", "Number out of range",
                       "a number in the request is too large", request.url.path)

    @app.exception_handler(ServiceUnavailable)
    @app.exception_handler(SessionExpired)
    async def db_down(request: Request, exc: Exception):
        return problem(503, "database-unavailable", "Database unavailable",
                       "Neo4j cannot be reached; try again shortly", request.url.path)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        log.exception("unhandled error on %s", request.url.path)
        return problem(500, "internal-error", "Internal error", "an unexpected error occurred; it was logged",
                       request.url.path)


# --- declaring problems in the OpenAPI document ---------------------------------------------

REF = {"$ref": "#/components/schemas/Problem"}
DESCRIPTIONS = {
    400: "Malformed request: the body is not valid JSON, breaks a limit, or a number is out of range",
    401: "Missing or invalid credentials",
    403: "The caller lacks the permission this operation needs",
    404: "Not found (or not visible to this caller)",
    405: "Method not allowed on this path",
    409: "Conflicts with the current state",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "A parameter or a field of the body is invalid; `field` names it",
    429: "Rate limit spent; `Retry-After` says when to try again",
    503: "The database cannot be reached; try again shortly",
}

PROBLEM_SCHEMA = {
    "title": "Problem",
    "type": "object",
    "description": "An RFC 9457 problem: `type` is stable (one URI per kind of error), `field` names the "
                   "parameter or body field at fault, `errors` lists every field for validation errors.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "description": "A URI naming the kind of problem"},
        "title": {"type": "string", "description": "A short summary of the kind of problem"},
        "status": {"type": "integer", "description": "The HTTP status code"},
        "detail": {"type": "string", "description": "What went wrong with this request"},
        "instance": {"type": "string", "description": "The request path"},
        "field": {"type": "string", "description": "The parameter or body field at fault"},
        "errors": {"type": "array", "description": "Every invalid field (validation errors)",
                   "items": {"type": "object", "properties": {
                       "field": {"type": "string"}, "in": {"type": "string"}, "reason": {"type": "string"}}}},
    },
    "additionalProperties": True,
    "example": {"type": PROBLEM_BASE + "not-found", "title": "Not found", "status": 404,
                "detail": "no serialized item urn:epc:id:sgtin:0614141.812345.1 is known to you",
                "instance": "/v1/verify", "field": "id"},
}


def responses(*statuses: int) -> dict[int, dict]:
    """`responses=problems.responses(404, 409)` on a route declares the problems it answers
    beyond those every route of its kind gets (api/openapi.py adds 401/403/422... itself)."""
    return {status: {"description": DESCRIPTIONS.get(status, "Problem"),
                     "content": {MEDIA_TYPE: {"schema": REF, "example": _example(status)}}} for status in statuses}


def _example(status: int) -> dict:
    title = HTTPStatus(status).phrase
    return {"type": PROBLEM_BASE + title.lower().replace(" ", "-"), "title": title, "status": status,
            "detail": DESCRIPTIONS.get(status, title), "instance": "/v1/..."}
