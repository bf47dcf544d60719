"""Capture jobs: a document is validated on receipt, acknowledged (202 + job), then written
by a worker (tracegraph/capture/jobs.py) from a durable Job in ONE transaction that also marks
the capture 'success' and the Job succeeded. A worker that dies mid-write leaves nothing of the
document; its lease runs out and another worker writes it (issue 18)."""
from __future__ import annotations

import json
import logging
import uuid

from neo4j import ManagedTransaction

from core.epcis.document import Document, LoadError
from core.settings import Settings
from graph.db import Database, run
from loaders.epcis.document import read_bytes
from tracegraph.audit import service as audit
from tracegraph.capture import files as ingest
from tracegraph.capture.errors import (
    CaptureLimitExceededException,
    NoSuchResourceException,
    ValidationException,
)
from tracegraph.capture.models import CaptureError, CaptureJob
from tracegraph.capture.writer import stored_events
from tracegraph.jobs import service as jobs
from tracegraph.jobs.enums import Kind

log = logging.getLogger("tracegraph.capture")
INTERRUPTED = ("the service stopped before this document was committed; nothing of it was written; "
               "send it again")


class CaptureService:
    """Accepts documents into durable capture jobs; workers (any process) write them."""

    def __init__(self, db: Database):
        self.db = db
        # Left 'running' by a version without durable jobs: no Job will ever write them.
        for job_id in db.read("epcis/jobs_running")[0]["ids"]:
            fail_capture(db, job_id, [_error("epcisException:ImplementationException", "Capture interrupted",
                                             INTERRUPTED)])

    def close(self) -> None:
        """Nothing to wait for: accepted documents wait in their Job for a worker."""

    def submit(self, body: bytes, actor: str, request_id: str | None = None, syntax: str | None = None) -> str:
        """Validate everything that can be validated now (syntax, limits, schema, identifiers,
        the data-quality checks that `reject`, holds), then accept: a 202 means only a change
        made meanwhile (a new hold, a concurrent document) can still fail the job."""
        if len(body) > self.db.settings.capture_max_bytes:
            raise CaptureLimitExceededException(
                f"the document has {len(body)} bytes; the limit is {self.db.settings.capture_max_bytes}")
        doc = parse(self.db, body, f"capture:{uuid.uuid4()}", syntax)
        if len(doc.events) > self.db.settings.capture_max_events:  # GS1-Capture-Limit (OPTIONS /epcis/capture)
            raise CaptureLimitExceededException(
                f"the document has {len(doc.events)} events; the limit is {self.db.settings.capture_max_events}")
        self.db.read_tx(lambda tx: precheck(tx, self.db.settings, doc, actor, request_id))
        job_id = doc.source.removeprefix("capture:")

        def create(tx: ManagedTransaction) -> None:
            run(tx, "epcis/job_create", id=job_id, source=doc.source, digest=doc.digest, events=len(doc.events))
            audit.record(tx, actor=actor, action="epcis.capture.accepted", subject=job_id,
                         after={"digest": doc.digest, "events": len(doc.events)}, request_id=request_id)
            jobs.enqueue(tx, self.db.settings, Kind.capture.value, {"actor": actor, "request_id": request_id},
                         body=body, job_id=job_id)
        self.db.write_tx(create)
        jobs.wake()
        return job_id

    def job(self, job_id: str) -> CaptureJob:
        rows = self.db.read("epcis/job_get", id=job_id)
        if not rows:
            raise NoSuchResourceException(f"no capture job {job_id!r}", field="captureID")
        job = rows[0]["job"]
        return CaptureJob(
            captureID=job["id"], createdAt=job["created"].to_native(),
            finishedAt=job["finished"].to_native() if job.get("finished") else None,
            running=job["status"] == "running", success=job["status"] == "success",
            errors=[CaptureError(**json.loads(e)) for e in job.get("errors") or []],
            eventsNew=job.get("events_new"), eventsSkipped=job.get("events_skipped"),
            eventsDeclared=job.get("events_declared"), noop=job.get("noop"))


def fail_capture(db: Database, job_id: str, errors: list[CaptureError]) -> None:
    """Mark a capture failed (nothing of its document was written), audited."""
    def fail(tx: ManagedTransaction) -> None:
        if run(tx, "epcis/job_fail", id=job_id, errors=[json.dumps(e.model_dump()) for e in errors]):
            audit.record(tx, actor="system", action="epcis.capture.failed", subject=job_id,
                         after={"errors": [e.detail for e in errors]})
    db.write_tx(fail)


def precheck(tx: ManagedTransaction, settings: Settings, doc: Document, actor: str = "system",
             request_id: str | None = None) -> None:
    """The writer's refusals, at once and in a read transaction: the data-quality checks
    that `reject` (422), `block` holds (409), rows that cannot be built. The writer checks
    again in its own transaction, so a hold placed in between still stops it."""
    from tracegraph.capture import hooks
    from tracegraph.capture.writer import Rows
    existing, _ = stored_events(tx, [e.event_id for e in doc.events])
    new = [e for e in doc.events if e.event_id not in existing]
    hooks.before_write(hooks.IngestContext(tx, settings, doc, new, actor, request_id))
    try:
        Rows(doc, new)
    except ValueError as exc:  # an identifier the parser let through and the writer cannot file
        raise ValidationException(f"{exc}", field="epcisBody.eventList") from exc


def parse(db: Database, body: bytes, source: str, syntax: str | None = None) -> Document:
    try:
        return read_bytes(body, source, ingest.known_prefixes(db), syntax, settings=db.settings)
    except LoadError as exc:
        where = f"event {exc.index}: " if exc.index is not None else ""
        raise ValidationException(f"{where}{exc.field}: {exc.reason}", field=exc.field,
                                  eventIndex=exc.index) from exc


def _error(type_: str, title: str, detail: str, field: str | None = None, index: int | None = None) -> CaptureError:
    return CaptureError(type=type_, title=title, detail=detail, field=field, eventIndex=index)
