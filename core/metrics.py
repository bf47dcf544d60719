"""Prometheus metrics (served at GET /metrics). Every process keeps its own; with
PROMETHEUS_MULTIPROC_DIR set, the API's /metrics adds up all processes writing there."""
from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)

# Latency buckets from a cached verify (about a millisecond) to a big recall export.
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)

http_seconds = Histogram("tracegraph_http_request_seconds", "HTTP request latency by route template",
                         ["method", "route", "status"], buckets=BUCKETS)
capture_documents = Counter("tracegraph_capture_documents_total", "EPCIS capture documents by outcome",
                            ["outcome"])
ingest_events = Counter("tracegraph_ingest_events_total", "Events written by ingest (new ones)", ["source"])
rule_seconds = Histogram("tracegraph_rule_run_seconds", "Time to evaluate one rule in a sweep", ["rule"],
                         buckets=BUCKETS)
webhook_deliveries = Counter("tracegraph_webhook_deliveries_total", "Webhook delivery attempts by outcome",
                             ["outcome"])
job_runs = Counter("tracegraph_job_runs_total", "Job attempts by kind and outcome", ["kind", "outcome"])
job_seconds = Histogram("tracegraph_job_seconds", "Job attempt duration by kind", ["kind"], buckets=BUCKETS)
query_seconds = Histogram("tracegraph_neo4j_query_seconds", "Named Neo4j query time (transaction included)",
                          ["query", "mode"], buckets=BUCKETS)


def job_finished(kind: str, outcome: str, seconds: float) -> None:
    job_runs.labels(kind, outcome).inc()
    job_seconds.labels(kind).observe(seconds)


def exposition(extra: CollectorRegistry | None = None) -> tuple[bytes, str]:
    """The text exposition of this process (or of all, in multiprocess mode), plus `extra`."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        from prometheus_client import REGISTRY
        body = generate_latest(REGISTRY)
    if extra is not None:
        body += generate_latest(extra)
    return body, CONTENT_TYPE_LATEST
