"""Who is calling, and may they. Every router declares `Depends(require("area:verb"))`.

Credentials: `Authorization: Bearer <API key or JWT>` or `X-API-Key: <key>`. API keys
start with `tgk_`; anything else bearer is a JWT. With neither header, the console's session
cookie (tracegraph/security/sessions.py); a write through it must carry the CSRF header.
Every failure is the same 401, so a caller learns nothing about which part was wrong. Permissions
come from the role table in tracegraph/security/roles.py (printed in docs/security.md).
"""
from __future__ import annotations

import hmac

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from core.errors import Forbidden, Unauthorized
from tracegraph.security import roles, sessions
from tracegraph.security.models import Principal
from tracegraph.security.service import (
    KEY_PREFIX,
    authenticate_cached_key,
    authenticate_key,
)
from tracegraph.security.tokens import authenticate_jwt

__all__ = ["Forbidden", "Principal", "current_principal", "require"]


def credential(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header:
        scheme, _, value = header.partition(" ")
        return value.strip() if scheme.lower() == "bearer" and value.strip() else ""
    return request.headers.get("x-api-key")


async def current_principal(request: Request) -> Principal:
    """Async so a cached key costs no worker-thread hop; database and JWT work go to the pool."""
    cached = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    presented = credential(request)
    db = request.app.state.db
    if presented is None and sessions.COOKIE in request.cookies:
        principal = await run_in_threadpool(session_principal, request)
        request.state.principal = principal
        return principal
    if not presented:
        raise Unauthorized("missing or invalid credentials")
    if presented.startswith(KEY_PREFIX):
        principal = authenticate_cached_key(presented) or await run_in_threadpool(authenticate_key, db, presented)
    else:
        principal = await run_in_threadpool(authenticate_jwt, db.settings, presented)
    request.state.principal = principal
    return principal


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def session_principal(request: Request) -> Principal:
    settings = request.app.state.db.settings
    claims = sessions.read(sessions.server_key(settings.session_key_path), request.cookies[sessions.COOKIE])
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(sessions.CSRF_HEADER, "")
        if not sent or not hmac.compare_digest(sent, claims["c"]):
            raise Forbidden(f"a write with a session cookie needs the {sessions.CSRF_HEADER} header "
                            "(the token returned at login)", field=sessions.CSRF_HEADER)
    return sessions.principal(request.app.state.db, claims)


def require(permission: str):
    """A dependency that lets the call through only with `permission`."""
    async def check(principal: Principal = Depends(current_principal)) -> Principal:
        if not roles.allows(principal.roles, permission):
            raise Forbidden(f"this call needs the permission {permission!r}")
        return principal
    check.permission = permission  # read by the authorization test matrix
    return check
