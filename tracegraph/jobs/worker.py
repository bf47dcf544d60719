"""A worker: takes due jobs one at a time with a lease, renews the lease while it works, and
records the outcome. Any number of workers (threads or `tracegraph worker` processes) share one
database; a job whose worker died is taken over when its lease runs out."""
from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import uuid

from neo4j.exceptions import ServiceUnavailable, SessionExpired, TransientError

from core import metrics
from core.epcis.document import LoadError
from core.errors import TracegraphError
from graph.db import Database
from tracegraph.jobs import registry, service
from tracegraph.jobs.errors import LeaseLost, PermanentJobError

log = logging.getLogger("tracegraph.jobs")


class RetryLater(Exception):
    """A handler's failed attempt with its own wait before the next one (e.g. webhook backoff)."""

    def __init__(self, message: str, backoff_seconds: float | None = None):
        super().__init__(message)
        self.backoff_seconds = backoff_seconds


class _Heartbeat:
    """Renews a lease every third of its length while the job runs."""

    def __init__(self, db: Database, job_id: str, token: str):
        self.db, self.job_id, self.token = db, job_id, token
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"lease {job_id}", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        every = self.db.settings.job_lease_seconds / 3
        while not self.done.wait(every):
            try:
                if not service.renew(self.db, self.job_id, self.token):
                    return  # taken over: the job's finish will fail and roll back
            except Exception:  # database away for a moment: the next beat tries again
                log.warning("could not renew the lease of job %s", self.job_id)

    def stop(self) -> None:
        self.done.set()
        self.thread.join(timeout=5)


class Worker:
    def __init__(self, db: Database, name: str | None = None, kinds: list[str] | None = None):
        registry.load()
        self.db, self.kinds = db, kinds
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.stopping, self.wake = threading.Event(), threading.Event()
        self.thread: threading.Thread | None = None
        self.done = 0  # jobs this worker finished (any outcome)

    def run_once(self) -> bool:
        """Take and run one due job; False when none was due."""
        claimed = service.claim(self.db, self.name, self.kinds)
        if claimed is None:
            return False
        job, token, orphan = claimed
        if orphan:
            log.warning("job %s (%s) taken over from a worker whose lease ran out", job["id"], job["kind"])
        self._execute(job, token)
        self.done += 1
        return True

    def _execute(self, job: dict, token: str) -> None:
        job_id, started = job["id"], time.perf_counter()
        fn = registry.handler(job["kind"])
        if fn is None:
            service.fail(self.db, job_id, token, f"no handler for job kind {job['kind']!r}", permanent=True,
                         attempts=job["attempts"])
            return

        def finish(tx, result):
            service.finish(tx, job_id, token, result)
            ctx.finished.append(True)
        ctx = registry.Context(db=self.db, job=job, payload=json.loads(job.get("payload") or "{}"),
                               body=bytes(job["body"]) if job.get("body") is not None else None, finish=finish,
                               final=job["attempts"] >= job["max_attempts"])
        heartbeat = _Heartbeat(self.db, job_id, token)
        outcome = "succeeded"
        try:
            result = fn(ctx)
            if not ctx.finished:
                self.db.write_tx(lambda tx: service.finish(tx, job_id, token, result))
        except LeaseLost:
            outcome = "lease_lost"
            log.warning("job %s: lease lost to another worker; this attempt rolled back", job_id)
        except (PermanentJobError, TracegraphError, LoadError) as exc:
            outcome = "failed"
            service.fail(self.db, job_id, token, str(exc), permanent=True, attempts=job["attempts"])
        except RetryLater as exc:
            outcome = service.fail(self.db, job_id, token, str(exc), permanent=False, attempts=job["attempts"],
                                   backoff_seconds=exc.backoff_seconds) or "lease_lost"
        except Exception as exc:
            log.exception("job %s (%s) attempt %s failed", job_id, job["kind"], job["attempts"])
            outcome = service.fail(self.db, job_id, token, f"{type(exc).__name__}: {exc}", permanent=False,
                                   attempts=job["attempts"]) or "lease_lost"
        finally:
            heartbeat.stop()
        metrics.job_finished(job["kind"], outcome, time.perf_counter() - started)

    def run_forever(self) -> None:
        service._wakers.add(self.wake)
        try:
            while not self.stopping.is_set():
                try:
                    worked = self.run_once()
                except (ServiceUnavailable, SessionExpired, TransientError, OSError) as exc:
                    log.warning("worker %s: database unavailable (%s); trying again", self.name, type(exc).__name__)
                    worked = False
                except Exception:
                    log.exception("worker %s: unexpected error; going on", self.name)
                    worked = False
                if not worked:
                    self.wake.wait(self.db.settings.job_poll_seconds)
                    self.wake.clear()
        finally:
            service._wakers.discard(self.wake)

    def start(self) -> Worker:
        """Run in a daemon thread (the API's in-process worker)."""
        self.thread = threading.Thread(target=self.run_forever, name=f"worker {self.name}", daemon=True)
        self.thread.start()
        return self

    def stop(self, timeout: float = 60.0) -> None:
        """Finish the job in hand, then stop."""
        self.stopping.set()
        self.wake.set()
        if self.thread is not None:
            self.thread.join(timeout=timeout)
