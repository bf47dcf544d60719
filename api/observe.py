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
        self._series: dict[tuple[str, str, int], object] = {}  # bounded: methods x route templates x statuses

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
            key = (scope["method"], template, status[0])
            series = self._series.get(key)
            if series is None:  # labels() takes a lock and builds the key each time; keep the child
                series = self._series[key] = metrics.http_seconds.labels(key[0], template, str(key[2]))
            series.observe(seconds)
            log.info("request", extra={"method": scope["method"], "route": template, "status": status[0],
                                       "ms": round(seconds * 1000, 2)})
