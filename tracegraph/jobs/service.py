"""Enqueue, take, finish and list durable jobs (every statement in cypher/jobs/)."""
from __future__ import annotations

import json
import threading
import uuid
from datetime import UTC, datetime
from typing import Any

from neo4j import ManagedTransaction

from core.errors import NotFound
from core.settings import Settings
from graph.db import Database, run
from tracegraph.jobs.errors import LeaseLost
from tracegraph.jobs.models import Job, JobPage

MAX_BACKOFF_SECONDS = 3600.0
_wakers: set[threading.Event] = set()  # this process's idle workers, woken when it enqueues


def enqueue(tx: ManagedTransaction, settings: Settings, kind: str, payload: dict[str, Any] | None = None, *,
            body: bytes | None = None, job_id: str | None = None, max_attempts: int | None = None,
            delay_seconds: float = 0.0) -> str:
    """Add a job in the caller's transaction (it exists if and only if the caller's write commits).
    The same `job_id` twice is one job. Call `wake()` after the commit."""
    job_id = job_id or str(uuid.uuid4())
    run(tx, "jobs/enqueue", id=job_id, kind=kind, payload=json.dumps(payload or {}), body=body,
        max_attempts=max_attempts or settings.job_max_attempts, delay_ms=int(delay_seconds * 1000))
    return job_id


def submit(db: Database, kind: str, payload: dict[str, Any] | None = None, **options) -> str:
    """`enqueue` in a transaction of its own, then wake this process's workers."""
    job_id = db.write_tx(lambda tx: enqueue(tx, db.settings, kind, payload, **options))
    wake()
    return job_id


def wake() -> None:
    for event in list(_wakers):
        event.set()


def claim(db: Database, owner: str, kinds: list[str] | None = None) -> tuple[dict, str, bool] | None:
    """The next due job, leased to `owner`: (job, token, taken over from a dead worker), or None."""
    token = str(uuid.uuid4())
    rows = db.write("jobs/claim", owner=owner, token=token, kinds=kinds,
                    lease_ms=int(db.settings.job_lease_seconds * 1000))
    return (rows[0]["job"], token, rows[0]["orphan"]) if rows else None


def renew(db: Database, job_id: str, token: str) -> bool:
    return bool(db.write("jobs/renew", id=job_id, token=token, lease_ms=int(db.settings.job_lease_seconds * 1000)))


def finish(tx: ManagedTransaction, job_id: str, token: str, result: dict | None) -> None:
    """Mark the job succeeded inside the transaction that did its work; LeaseLost (so the
    whole transaction rolls back) when another worker has taken the job over."""
    if not run(tx, "jobs/finish", id=job_id, token=token, result=json.dumps(result) if result is not None else None):
        raise LeaseLost(job_id)


def backoff(settings: Settings, attempts: int) -> float:
    return min(MAX_BACKOFF_SECONDS, settings.job_backoff_seconds * 2 ** max(attempts - 1, 0))


def fail(db: Database, job_id: str, token: str, error: str, *, permanent: bool, attempts: int,
         backoff_seconds: float | None = None) -> str | None:
    """Record a failed attempt; the job's next status (queued, failed or dead), or None when the
    lease was lost meanwhile."""
    wait = backoff(db.settings, attempts) if backoff_seconds is None else backoff_seconds
    rows = db.write("jobs/fail", id=job_id, token=token, error=error[:4000], permanent=permanent,
                    backoff_ms=int(wait * 1000))
    return rows[0]["status"] if rows else None


def _time(ms: int | None) -> datetime | None:
    return datetime.fromtimestamp(ms / 1000, UTC) if ms is not None else None


def to_model(job: dict) -> Job:
    return Job(id=job["id"], kind=job["kind"], status=job["status"], attempts=job["attempts"],
               max_attempts=job["max_attempts"], orphaned=job.get("orphaned") or 0,
               created=_time(job["created"]), run_at=_time(job["run_at"]), started=_time(job.get("started")),
               finished=_time(job.get("finished")), owner=job.get("owner"), finished_by=job.get("finished_by"),
               lease_until=_time(job.get("lease_until")),
               payload=json.loads(job.get("payload") or "{}"),
               result=json.loads(job["result"]) if job.get("result") else None, error=job.get("error"))


def get(db: Database, job_id: str) -> Job:
    rows = db.read("jobs/get", id=job_id)
    if not rows:
        raise NotFound(f"no job {job_id}", field="id")
    return to_model(rows[0]["job"])


def listing(db: Database, *, status: str | None = None, kind: str | None = None, limit: int = 100,
            offset: int = 0) -> JobPage:
    filters = {"status": status, "kind": kind}

    def work(tx: ManagedTransaction) -> tuple[list[dict], int]:
        rows = run(tx, "jobs/list", **filters, limit=limit, offset=offset)
        return rows, run(tx, "jobs/count", **filters)[0]["total"]
    rows, total = db.read_tx(work)
    jobs = [to_model(r["job"]) for r in rows]
    more = offset + len(jobs) < total
    return JobPage(jobs=jobs, count=len(jobs), total=total, next_offset=offset + len(jobs) if more else None)


def depth(db: Database) -> list[dict]:
    """Rows (kind, status, n): the queue depth by kind and status."""
    return db.read("jobs/depth")
