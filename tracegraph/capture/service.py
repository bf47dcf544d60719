"""Capture jobs: a document is validated on receipt, acknowledged (202 + job), then written
in the background in ONE transaction that also marks the job 'success'. A job left
'running' by a process that died is reported failed: its transaction never committed,
so nothing of its document is stored."""
from __future__ import annotations

import logging
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

from neo4j import ManagedTransaction

from core.epcis.document import Document, LoadError
from core.errors import TracegraphError
from graph.db import Database, run
from loaders.epcis.document import read_bytes
from tracegraph.alerts import webhooks
from tracegraph.audit import service as audit
from tracegraph.capture import files as ingest
from tracegraph.capture.errors import (
    CaptureLimitExceededException,
    NoSuchResourceException,
    ValidationException,
)
from tracegraph.capture.models import CaptureError, CaptureJob
from tracegraph.capture.writer import LoadResult, stored_events, write_document

log = logging.getLogger("tracegraph.capture")
INTERRUPTED = ("the service stopped before this document was committed; nothing of it was written; "
               "send it again")


class CaptureService:
    """One per process: a single writer thread keeps documents in arrival order."""

    def __init__(self, db: Database):
        self.db = db
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="capture")
        # alerts raised by a capture go out as webhooks at once, without holding up the next document
        self.notifier = ThreadPoolExecutor(max_workers=1, thread_name_prefix="webhooks")
        self.active: set[str] = set()
        self.lock = threading.Lock()
        db.run_statements("epcis/schema")
        for job_id in db.read("epcis/jobs_running")[0]["ids"]:
            self._fail(job_id, [_error("epcisException:ImplementationException", "Capture interrupted",
                                       INTERRUPTED)])

    def close(self) -> None:
        """Let the running job (and the rules it owes) and webhook sends finish; at shutdown,
        before the database closes under them."""
        self.executor.shutdown(wait=True)
        self.notifier.shutdown(wait=True)

    def submit(self, body: bytes, actor: str, request_id: str | None = None, syntax: str | None = None) -> str:
        """Validate everything that can be validated now (syntax, limits, schema, identifiers,
        the data-quality checks that `reject`, holds), then accept: a 202 means only a change
        made meanwhile (a new hold, a concurrent document) can still fail the job."""
        if len(body) > self.db.settings.capture_max_bytes:
            raise CaptureLimitExceededException(
                f"the document has {len(body)} bytes; the limit is {self.db.settings.capture_max_bytes}")
        doc = parse(self.db, body, f"capture:{uuid.uuid4()}", syntax)
        self.db.read_tx(lambda tx: precheck(tx, doc, actor, request_id))
        job_id = doc.source.removeprefix("capture:")
        with self.lock:
            self.active.add(job_id)

        def create(tx: ManagedTransaction) -> None:
            run(tx, "epcis/job_create", id=job_id, source=doc.source, digest=doc.digest, events=len(doc.events))
            audit.record(tx, actor=actor, action="epcis.capture.accepted", subject=job_id,
                         after={"digest": doc.digest, "events": len(doc.events)}, request_id=request_id)
        try:
            self.db.write_tx(create)
        except Exception:
            with self.lock:
                self.active.discard(job_id)
            raise
        self.executor.submit(self._write, job_id, doc, actor, request_id)
        return job_id

    def _write(self, job_id: str, doc: Document, actor: str, request_id: str | None) -> None:
        def finish(tx: ManagedTransaction, result: LoadResult) -> None:
            run(tx, "epcis/job_finish", id=job_id, events_new=result.events_new,
                events_skipped=result.events_skipped, events_declared=result.events_declared, noop=result.noop)
            audit.record(tx, actor=actor, action="epcis.capture.success", subject=job_id,
                         after={"digest": doc.digest, "events_new": result.events_new}, request_id=request_id)
        try:
            result = write_document(self.db, doc, actor=actor, request_id=request_id, finish=finish)
            if any((result.notes.get("alerts") or {}).values()):
                self.notifier.submit(self._notify)
        except TracegraphError as exc:
            self._fail(job_id, [_error(exc.type, exc.title, exc.detail, exc.field)])
        except LoadError as exc:
            self._fail(job_id, [_error(ValidationException.epcis_type, "Invalid EPCIS document", exc.reason,
                                       exc.field, exc.index)])
        except Exception as exc:  # the database went away, or a bug: the transaction rolled back
            log.exception("capture job %s failed", job_id)
            self._fail(job_id, [_error("epcisException:ImplementationException", "Capture failed",
                                       f"the document could not be written ({type(exc).__name__}); "
                                       "nothing of it was written; send it again")])
        finally:
            with self.lock:
                self.active.discard(job_id)

    def _notify(self) -> None:
        try:
            webhooks.deliver_pending(self.db)
        except Exception:  # the outbox keeps them: the next capture, `rules deliver` or a sweep sends them
            log.exception("webhook delivery after capture failed")

    def _fail(self, job_id: str, errors: list[CaptureError]) -> None:
        import json

        def fail(tx: ManagedTransaction) -> None:
            if run(tx, "epcis/job_fail", id=job_id, errors=[json.dumps(e.model_dump()) for e in errors]):
                audit.record(tx, actor="system", action="epcis.capture.failed", subject=job_id,
                             after={"errors": [e.detail for e in errors]})
        try:
            self.db.write_tx(fail)
        except Exception:  # database down: the job stays 'running' and is reported interrupted later
            log.exception("could not record the failure of capture job %s", job_id)

    def job(self, job_id: str) -> CaptureJob:
        import json
        rows = self.db.read("epcis/job_get", id=job_id)
        if not rows:
            raise NoSuchResourceException(f"no capture job {job_id!r}", field="captureID")
        job = rows[0]["job"]
        with self.lock:
            orphan = job["status"] == "running" and job_id not in self.active
        if orphan:
            self._fail(job_id, [_error("epcisException:ImplementationException", "Capture interrupted",
                                       INTERRUPTED)])
            job = self.db.read("epcis/job_get", id=job_id)[0]["job"]
        return CaptureJob(
            captureID=job["id"], createdAt=job["created"].to_native(),
            finishedAt=job["finished"].to_native() if job.get("finished") else None,
            running=job["status"] == "running", success=job["status"] == "success",
            errors=[CaptureError(**json.loads(e)) for e in job.get("errors") or []],
            eventsNew=job.get("events_new"), eventsSkipped=job.get("events_skipped"),
            eventsDeclared=job.get("events_declared"), noop=job.get("noop"))


def precheck(tx: ManagedTransaction, doc: Document, actor: str = "system", request_id: str | None = None) -> None:
    """The writer's refusals, at once and in a read transaction: the data-quality checks
    that `reject` (422), `block` holds (409), rows that cannot be built. The writer checks
    again in its own transaction, so a hold placed in between still stops it."""
    from tracegraph.capture import hooks
    from tracegraph.capture.writer import Rows
    existing, _ = stored_events(tx, [e.event_id for e in doc.events])
    new = [e for e in doc.events if e.event_id not in existing]
    hooks.before_write(hooks.IngestContext(tx, doc, new, actor, request_id))
    try:
        Rows(doc, new)
    except ValueError as exc:  # an identifier the parser let through and the writer cannot file
        raise ValidationException(f"{exc}", field="epcisBody.eventList") from exc


def parse(db: Database, body: bytes, source: str, syntax: str | None = None) -> Document:
    try:
        return read_bytes(body, source, ingest.known_prefixes(db), syntax)
    except LoadError as exc:
        where = f"event {exc.index}: " if exc.index is not None else ""
        raise ValidationException(f"{where}{exc.field}: {exc.reason}", field=exc.field,
                                  eventIndex=exc.index) from exc


def _error(type_: str, title: str, detail: str, field: str | None = None, index: int | None = None) -> CaptureError:
    return CaptureError(type=type_, title=title, detail=detail, field=field, eventIndex=index)
