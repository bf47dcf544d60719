"""RFC 9457 problem+json for every error a client can cause; never a bare 500 body."""
from __future__ import annotations

import logging

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
        return problem(exc.status_code, slug, str(exc.detail), str(exc.detail), request.url.path)

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
