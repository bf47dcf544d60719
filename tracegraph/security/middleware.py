"""ASGI middleware for the API: request ids, body size limits and `WWW-Authenticate` on
401s. Pure ASGI (no BaseHTTPMiddleware), so the request id context variable reaches the
endpoint. The partner rate limit (TokenBuckets) is applied by api/guard.py, after
authentication, keyed on the principal."""
from __future__ import annotations

import json
import random
import re
import threading
import time
import uuid

import structlog

from core.errors import PROBLEM_BASE
from tracegraph.audit.service import current_request_id

REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
PARTNER_PATHS = ("/v1/verify", "/v1/session")  # session: slows password guessing


def replaying(body: bytes, receive):
    """A `receive` that gives the app `body`, already read, as one message; then the real one (a
    disconnect)."""
    sent = False

    async def replay():
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}
    return replay


async def _problem(send, status: int, slug: str, title: str, detail: str, path: str,
                   headers: list[tuple[bytes, bytes]] = ()) -> None:
    body = json.dumps({"type": PROBLEM_BASE + slug, "title": title, "status": status, "detail": detail,
                       "instance": path}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/problem+json"),
                            (b"content-length", str(len(body)).encode()), *headers]})
    await send({"type": "http.response.body", "body": body})


WANTED = (b"x-request-id", b"x-correlation-id", b"content-length")


def _wanted(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """The few request headers read here (the last of repeated ones), without decoding the rest."""
    found = {}
    for key, value in raw:
        key = key.lower()
        if key in WANTED:
            found[key.decode("latin-1")] = value.decode("latin-1")
    return found


def _new_id() -> str:
    """A random version-4 UUID. Ids need to be unique, not secret: the process's PRNG, not a
    system call for os.urandom per request."""
    return str(uuid.UUID(int=random.getrandbits(128), version=4))


class TokenBuckets:
    """Per-key token buckets: `burst` calls at once, refilled at `per_minute`."""

    def __init__(self, per_minute: int, burst: int):
        self.rate, self.burst = per_minute / 60.0, float(burst)
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """0 when allowed, else the seconds to wait."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            if len(self._buckets) > 100_000:  # bound memory under a flood of keys
                self._buckets.clear()
            return (1 - tokens) / self.rate


class SecurityMiddleware:
    def __init__(self, app, max_body: int):
        self.app, self.max_body = app, max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = _wanted(scope["headers"])
        path = scope["path"]
        given = headers.get("x-request-id", "")
        request_id = given if REQUEST_ID.match(given) else _new_id()
        scope.setdefault("state", {})["request_id"] = request_id
        # A correlation id ties the calls of one business operation together (the caller's, or this request's).
        given = headers.get("x-correlation-id", "")
        correlation_id = given if REQUEST_ID.match(given) else request_id
        scope["state"]["correlation_id"] = correlation_id
        token = current_request_id.set(request_id)
        log_ids = structlog.contextvars.bind_contextvars(request_id=request_id, correlation_id=correlation_id)
        rid = [(b"x-request-id", request_id.encode()), (b"x-correlation-id", correlation_id.encode())]

        async def send_with_id(message):
            if message["type"] == "http.response.start":
                extra = list(rid)
                if message["status"] == 401:
                    extra.append((b"www-authenticate", b'Bearer realm="tracegraph"'))
                message = dict(message, headers=list(message.get("headers", [])) + extra)
            await send(message)

        try:
            length = headers.get("content-length")
            if length is not None:
                if not length.isdigit():
                    return await _problem(send_with_id, 400, "bad-request", "Bad request",
                                          "Content-Length is not a number", path)
                if int(length) > self.max_body:
                    return await _problem(send_with_id, 413, "payload-too-large", "Request body too large",
                                          f"the body may have at most {self.max_body} bytes", path)
            elif scope["method"] in ("POST", "PUT", "PATCH"):
                receive = await self._buffered(receive)
                if receive is None:
                    return await _problem(send_with_id, 413, "payload-too-large", "Request body too large",
                                          f"the body may have at most {self.max_body} bytes", path)
            await self.app(scope, receive, send_with_id)
        finally:
            current_request_id.reset(token)
            structlog.contextvars.reset_contextvars(**log_ids)

    async def _buffered(self, receive):
        """Read a body sent without Content-Length, up to the limit (None when over it)."""
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return None
            chunks.append(chunk)
            more = message.get("more_body", False)
        return replaying(b"".join(chunks), receive)
