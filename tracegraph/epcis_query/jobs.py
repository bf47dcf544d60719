"""The `epcis.subscription` job: one run of a subscription, sent to its webhook by a worker.

The dispatcher (subscriptions.py) queues one job per due run. A run sends the query's events
recorded after the subscription's watermark and, in the same transaction as the job's success,
moves the watermark past them. A failed send is retried by the job machinery after
webhook_backoff_seconds * 2^(n-1); after webhook_max_attempts the job is dead (GET /v1/jobs)
and the subscription shows `dead-lettered` with the last error. Delivery is at least once: the
`webhook-id` is the job id on every attempt, so receivers dedupe on it.
"""
from __future__ import annotations

import json

from neo4j import ManagedTransaction

from graph.db import native, run
from tracegraph.audit import service as audit
from tracegraph.epcis_query import service, subscriptions
from tracegraph.jobs.enums import Kind
from tracegraph.jobs.errors import PermanentJobError
from tracegraph.jobs.registry import Context, register
from tracegraph.jobs.worker import RetryLater


@register(Kind.subscription.value)
def send_run(ctx: Context) -> dict:
    db, s = ctx.db, ctx.db.settings
    found = db.read("epcis/subscription_get", id=ctx.payload["subscription"])
    if not found:
        return {"skipped": "the subscription was ended"}
    row = found[0]
    sub, job_id = row["subscription"], ctx.job["id"]
    rows = subscriptions.results_since(db, json.loads(row["query"]), native(sub["since"]),
                                       subscriptions.principal_of(sub))
    if not rows and (sub["stream"] or not sub.get("report_if_empty")):
        return {"skipped": "nothing new since the last run"}  # sent by the run before this one
    document = service.query_document(rows, row["name"], sub["id"])
    error = subscriptions.deliver(db, job_id, sub["dest"], document, sub.get("secret"))
    if error is None:
        result = {"events": len(rows)}
        until = native(rows[-1]["recorded"]).isoformat() if rows else None

        def sent(tx: ManagedTransaction) -> None:
            run(tx, "epcis/subscription_ran", id=sub["id"], until=until, status="delivered" if rows else "empty",
                error=None, job=job_id)
            ctx.finish(tx, result)
        db.write_tx(sent)
        return result
    permanent = error == subscriptions.UNSIGNED
    status = "failed" if permanent else "dead-lettered" if ctx.final else "retrying"

    def failed(tx: ManagedTransaction) -> None:
        run(tx, "epcis/subscription_ran", id=sub["id"], until=None, status=status, error=error, job=job_id)
        if status != "retrying":  # the run is given up: on the audit trail, like a failed alert webhook
            audit.record(tx, actor="system", action=f"epcis.subscription.{status}", subject=sub["id"],
                         after={"job": job_id, "dest": sub["dest"], "error": error, "attempts": ctx.job["attempts"]})
    db.write_tx(failed)
    if permanent:
        raise PermanentJobError(error)
    raise RetryLater(error, backoff_seconds=s.webhook_backoff_seconds * 2 ** (ctx.job["attempts"] - 1))
