"""The `capture` job: write an accepted EPCIS document; the capture's success and the Job's
commit with the data in one transaction, or nothing does."""
from __future__ import annotations

from core import metrics
from core.epcis.document import LoadError
from core.errors import TracegraphError
from graph.db import run
from tracegraph.audit import service as audit
from tracegraph.capture.errors import ValidationException
from tracegraph.capture.service import _error, fail_capture, parse
from tracegraph.capture.writer import write_document
from tracegraph.jobs.enums import Kind
from tracegraph.jobs.errors import LeaseLost, PermanentJobError
from tracegraph.jobs.registry import Context, register


@register(Kind.capture.value)
def capture(ctx: Context) -> dict:
    db, job_id = ctx.db, ctx.job["id"]
    actor, request_id = ctx.payload.get("actor", "system"), ctx.payload.get("request_id")

    def finish(tx, result) -> None:
        run(tx, "epcis/job_finish", id=job_id, events_new=result.events_new, events_skipped=result.events_skipped,
            events_declared=result.events_declared, noop=result.noop)
        audit.record(tx, actor=actor, action="epcis.capture.success", subject=job_id,
                     after={"digest": result.digest, "events_new": result.events_new}, request_id=request_id)
        ctx.finish(tx, {"events_new": result.events_new, "events_skipped": result.events_skipped})
    try:
        doc = parse(db, ctx.body or b"", f"capture:{job_id}")
        result = write_document(db, doc, actor=actor, request_id=request_id, finish=finish)
    except LeaseLost:
        raise
    except TracegraphError as exc:  # e.g. a hold placed since acceptance: refused for good
        fail_capture(db, job_id, [_error(exc.type, exc.title, exc.detail, exc.field)])
        metrics.capture_documents.labels("refused").inc()
        raise PermanentJobError(exc.detail) from exc
    except LoadError as exc:
        fail_capture(db, job_id, [_error(ValidationException.epcis_type, "Invalid EPCIS document", exc.reason,
                                         exc.field, exc.index)])
        metrics.capture_documents.labels("refused").inc()
        raise PermanentJobError(str(exc)) from exc
    except Exception as exc:  # the database went away, or a bug: rolled back; retried unless last
        if ctx.final:
            fail_capture(db, job_id, [_error("epcisException:ImplementationException", "Capture failed",
                                             f"the document could not be written ({type(exc).__name__}) in "
                                             f"{ctx.job['attempts']} attempts; nothing of it was written; "
                                             "send it again")])
            metrics.capture_documents.labels("dead").inc()
        raise
    metrics.capture_documents.labels("stored").inc()
    metrics.ingest_events.labels("capture").inc(result.events_new)
    if any((result.notes.get("alerts") or {}).values()):
        from tracegraph.alerts import jobs as webhook_jobs
        webhook_jobs.enqueue_pending(db)
    return {"events_new": result.events_new, "events_skipped": result.events_skipped}
