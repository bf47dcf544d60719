"""The `webhook` job: one delivery attempt per run, out of request threads. A failed attempt
is retried by the job machinery after backoff * 2^(n-1); the last one marks the delivery
failed. Delivery is at least once (a worker may die after sending): receivers dedupe on
`webhook-id`."""
from __future__ import annotations

from graph.db import Database
from tracegraph.alerts import webhooks
from tracegraph.jobs import service as jobs
from tracegraph.jobs.enums import Kind
from tracegraph.jobs.errors import PermanentJobError
from tracegraph.jobs.registry import Context, register
from tracegraph.jobs.worker import RetryLater


def enqueue_pending(db: Database, limit: int = 500) -> int:
    """A `webhook` job per pending delivery (job id `webhook:<delivery>`: enqueueing twice is one job)."""
    pending = db.read("alerts/pending", limit=limit)

    def work(tx) -> None:
        for d in pending:
            jobs.enqueue(tx, db.settings, Kind.webhook.value, {"delivery": d["id"]}, job_id=f"webhook:{d['id']}",
                         max_attempts=db.settings.webhook_max_attempts)
    if pending:
        db.write_tx(work)
        jobs.wake()
    return len(pending)


@register(Kind.webhook.value)
def deliver(ctx: Context) -> dict:
    db, s = ctx.db, ctx.db.settings
    found = db.read("alerts/delivery_pending", id=ctx.payload["delivery"])
    if not found:
        return {"skipped": "the delivery is no longer pending"}
    delivery = found[0]
    record = webhooks.attempt(s, delivery, delivery["attempts"] + 1)
    if record["error"] is None:
        webhooks.log_outcome(db, delivery, "delivered", [record])
        return {"status": record["status"]}
    final = ctx.final or not s.webhook_secret
    webhooks.log_outcome(db, delivery, "failed" if final else "pending", [record])
    if not s.webhook_secret:
        raise PermanentJobError(record["error"])
    raise RetryLater(record["error"], backoff_seconds=s.webhook_backoff_seconds * 2 ** (ctx.job["attempts"] - 1))
