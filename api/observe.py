"""Request metrics and access logs: latency by route template (`/v1/jobs/{id}`, not each id),
and one JSON log line per request carrying the request and correlation ids."""
from __future__ import annotations

import logging
import time

from core import metrics

log = logging.getLogger("tracegraph.access")


class ObserveMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started, status = time.perf_counter(), [500]

        async def send_status(message):
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)
        try:
            await self.app(scope, receive, send_status)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"  # never the raw path: unbounded labels
            seconds = time.perf_counter() - started
            metrics.http_seconds.labels(scope["method"], template, str(status[0])).observe(seconds)
            log.info("request", extra={"method": scope["method"], "route": template, "status": status[0],
                                       "ms": round(seconds * 1000, 2)})
