"""Prometheus metrics. Needs `metrics:read` (give Prometheus an API key: `authorization:
credentials` in its scrape config); queue depth is read from the database at scrape time, so
every process reports the same, shared queue."""
from fastapi import APIRouter, Depends, Request, Response
from prometheus_client import CollectorRegistry, Gauge
from starlette.concurrency import run_in_threadpool

from api.auth import require
from core import metrics
from graph.pool import PoolCollector
from tracegraph.jobs import service as jobs

router = APIRouter(tags=["health"], dependencies=[Depends(require("metrics:read"))])


def _depth(db) -> CollectorRegistry:
    registry = CollectorRegistry()
    gauge = Gauge("tracegraph_job_queue_depth", "Jobs by kind and status (shared by all processes)",
                  ["kind", "status"], registry=registry)
    for row in jobs.depth(db):
        gauge.labels(row["kind"], row["status"]).set(row["n"])
    registry.register(PoolCollector(db.driver))  # this process's connections, read now
    return registry


@router.get("/metrics", summary="Prometheus metrics (text exposition format)", response_class=Response,
            responses={200: {"description": "Prometheus text exposition", "content": {"text/plain": {
                "schema": {"type": "string"},
                "example": "# TYPE tracegraph_jobs gauge\ntracegraph_jobs{kind=\"capture\",status=\"queued\"} 0\n"}}}})
async def prometheus(request: Request) -> Response:
    body, media = metrics.exposition(await run_in_threadpool(_depth, request.app.state.db))
    return Response(body, media_type=media)
