"""Writers in other processes for the concurrency tests (no tests here).

A `Writers` pool keeps its processes across hypothesis examples (starting Python and a
driver per example would cost more than the race), and starts each round's writing at
one barrier with the test's own threads."""
from __future__ import annotations

import multiprocessing
import traceback
from pathlib import Path

from core.settings import Settings

ROUND_SECONDS = 300  # generous: a busy 2-core machine, and deadlocks retried by the driver


def _serve(settings: Settings, policy: str | None, tasks, results, barrier) -> None:
    from graph.db import Database
    from loaders.epcis.document import parse_document
    from tracegraph.audit import service as audit
    from tracegraph.capture.writer import write_document
    from tracegraph.quality import service as quality

    audit.configure(settings, make_key=False)  # a process's start-up, as create_app's
    with Database(settings) as db:
        if policy:
            quality.using(Path(policy)).__enter__()  # for this process's life
        while (documents := tasks.get()) is not None:
            barrier.wait(ROUND_SECONDS)
            try:
                for n, doc in enumerate(documents):
                    write_document(db, parse_document(doc, f"process-{n}"))
                results.put(None)
            except Exception:  # noqa: BLE001 (reported to the test, which fails with it)
                results.put(traceback.format_exc())


class Writers:
    """`size` processes; `round(parts, release)` gives each its documents (a list of EPCIS
    document dicts, written in order), waits with them at the barrier, calls
    `release()` (the test starts its threads there), and returns their errors."""

    def __init__(self, settings: Settings, size: int, policy: Path | None = None):
        ctx = multiprocessing.get_context("spawn")
        self.barrier = ctx.Barrier(size + 1)
        self.tasks = [ctx.Queue() for _ in range(size)]
        self.results = ctx.Queue()
        self.procs = [ctx.Process(target=_serve, args=(settings, str(policy) if policy else None, q, self.results,
                                                       self.barrier), daemon=True) for q in self.tasks]
        for p in self.procs:
            p.start()

    def round(self, parts: list[list[dict]], release=lambda: None) -> list[str]:
        for queue, documents in zip(self.tasks, parts, strict=True):
            queue.put(documents)
        self.barrier.wait(ROUND_SECONDS)
        release()
        return [e for e in (self.results.get(timeout=ROUND_SECONDS) for _ in self.tasks) if e]

    def close(self) -> None:
        for queue in self.tasks:
            queue.put(None)
        for p in self.procs:
            p.join(30)
            if p.is_alive():
                p.kill()
