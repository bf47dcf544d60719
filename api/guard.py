"""What every route gets before its own code runs, whoever wrote it (docs/api-conventions.md):

1. authentication and authorization, from the `require(...)` dependencies the matched route
   declares, BEFORE anything reads the body: a caller without credentials gets 401 and one
   without the permission 403, never a 400/422 about a body it may not send;
2. the partner rate limit, keyed on the authenticated principal (not on the header text,
   which `Bearer`, `bearer` and extra spaces would turn into fresh buckets);
3. JSON bodies read strictly (core/fastjson): UTF-8 only, no lone surrogates, bounded depth,
   string length and number size; a 400 problem names the field.

Pure ASGI, so it sees the request before FastAPI reads the body. The route's own
dependencies still run (the principal found here is cached on the request for them).
"""
from __future__ import annotations

import hashlib
import math

from fastapi import params
from fastapi.routing import iter_route_contexts
from starlette.requests import Request
from starlette.routing import Match

from api import problems
from api.auth import current_principal
from core import fastjson
from core.errors import Forbidden, InvalidJson, RateLimited, TracegraphError, UnsupportedMediaType
from tracegraph.security import roles
from tracegraph.security.middleware import PARTNER_PATHS, TokenBuckets, replaying

BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def permissions_of(route) -> list[str]:
    """The permissions a route's dependency tree asks for (`require(...)`)."""
    stack = list(route.dependant.dependencies) if getattr(route, "dependant", None) else []
    asked: list[str] = []
    while stack:
        dep = stack.pop()
        if hasattr(dep.call, "permission") and dep.call.permission not in asked:
            asked.append(dep.call.permission)
        stack.extend(dep.dependencies)
    return asked


def authenticates(route) -> bool:
    """True when the route needs a principal (`current_principal`), with or without a permission."""
    stack = list(route.dependant.dependencies) if getattr(route, "dependant", None) else []
    while stack:
        dep = stack.pop()
        if dep.call is current_principal or hasattr(dep.call, "permission"):
            return True
        stack.extend(dep.dependencies)
    return False


def body_kind(route) -> str | None:
    """"json" for a body FastAPI decodes as JSON, "form" for a form, None for none (the
    route reads the body itself, as /epcis/capture does)."""
    field = getattr(route, "body_field", None)
    if field is None:
        return None
    return "form" if isinstance(field.field_info, params.Form) else "json"


def is_json(content_type: str) -> bool:
    media = content_type.split(";")[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


class Guard:
    def __init__(self, app, api, per_minute: int, burst: int):
        self.app, self.api = app, api
        self.buckets = TokenBuckets(per_minute, burst)
        self._routes: list | None = None

    def routes(self) -> list:
        if self._routes is None:  # the routes are all included by the first request
            self._routes = [(rc, permissions_of(rc), body_kind(rc)) for rc in iter_route_contexts(self.api.routes)]
        return self._routes

    def match(self, scope):
        for rc, permissions, body in self.routes():
            found, _ = rc.matches(scope)
            if found == Match.FULL:
                return permissions, body
        return [], None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        permissions, body = self.match(scope)
        request = Request(scope, receive)
        path = scope["path"]
        partner_path = path.startswith(PARTNER_PATHS)
        try:
            principal = None
            if permissions and current_principal not in self.api.dependency_overrides:
                try:
                    principal = await current_principal(request)
                except TracegraphError:
                    if partner_path:  # guessing keys is rate limited by address
                        self._limit("anonymous:" + (scope.get("client") or ("?",))[0])
                    raise
                for permission in permissions:
                    if not roles.allows(principal.roles, permission):
                        raise Forbidden(f"this call needs the permission {permission!r}")
            if partner_path and principal is not None:
                self._limit("principal:" + principal.id)
            if body == "json" and scope["method"] in BODY_METHODS:
                receive = await self._checked_body(request, receive)
        except TracegraphError as exc:
            response = problems.problem(exc.status, exc.slug, exc.title, exc.detail, path, field=exc.field,
                                        **exc.extra)
            if isinstance(exc, RateLimited):
                response.headers["Retry-After"] = str(exc.extra.get("retry_after", 1))
            return await response(scope, receive, send)
        await self.app(scope, receive, send)

    def _limit(self, key: str) -> None:
        wait = self.buckets.take(hashlib.sha256(key.encode()).hexdigest())
        if wait:
            raise RateLimited("this caller's rate limit is spent; retry later",
                                       retry_after=max(1, math.ceil(wait)))

    async def _checked_body(self, request: Request, receive):
        body = await request.body()
        if body and is_json(request.headers.get("content-type", "")):
            try:
                fastjson.check_limits(fastjson.loads(body))
            except fastjson.JsonRefused as exc:
                raise InvalidJson(exc.reason, field=exc.field) from exc
            except (ValueError, UnicodeDecodeError) as exc:
                raise InvalidJson(f"not valid JSON: {exc}", field="body") from exc
        elif body and request.headers.get("content-type") and not is_json(request.headers["content-type"]):
            raise UnsupportedMediaType(
                f"this route reads JSON; Content-Type was {request.headers['content-type']!r}",
                field="Content-Type")
        return replaying(body, receive)
