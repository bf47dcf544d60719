"""Load EPCIS files: parse and validate each document whole, then write it atomically."""
from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path

from graph.db import Database
from loaders.epcis.document import LoadError, read_file
from tracegraph.capture.writer import LoadResult, answer_rules, write_document

SUFFIXES = (".json", ".jsonld", ".xml")
log = logging.getLogger("tracegraph.ingest")


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files as given; folders give their EPCIS files in name order."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.iterdir() if p.suffix in SUFFIXES and p.is_file()))
        elif path.exists():
            out.append(path)
        else:
            raise LoadError(str(path), "$", "no such file or folder")
    return out


def known_prefixes(db: Database) -> set[str]:
    stored = db.read("ingest/known_prefixes")[0]["prefixes"]
    return set(stored) | set(db.settings.company_prefixes)


def load_files(db: Database, files: list[Path], progress: Callable[[int], None] | None = None,
               on_result: Callable[[LoadResult], None] | None = None,
               on_error: Callable[[Path, LoadError], None] | None = None) -> list[LoadResult]:
    """Load files in order; a bad document raises LoadError with nothing of it written, or, with
    `on_error`, is reported there and the load goes on with the next file.
    The incremental rules each document owes run in the background while the next one is
    read and parsed (Python then, Neo4j now: the two cores both work), and are answered
    before the next one is written: rules judging a document see the data up to it and no
    later document, so the alerts a load opens and resolves are the same on every run
    (answered late, a shipment's receipt could already be stored or not, by timing)."""
    prefixes = known_prefixes(db)
    results: list[LoadResult] = []
    background = RulesInBackground(db)
    try:
        with collector_paused():
            for path in files:
                try:
                    doc = read_file(path, prefixes, settings=db.settings)
                    background.settle()
                    result = write_document(db, doc, progress, rules_now=False)
                except LoadError as exc:
                    if on_error is None:
                        raise
                    on_error(path, exc)
                    continue
                prefixes |= doc.prefixes
                del doc  # the last reference: its objects go before the collector's pass
                gc.collect(1)  # the cycles the document left (the collector is paused)
                results.append(result)
                if result.events_new:
                    db.write("schema/resample")
                if result.notes.get("rules_pending"):
                    background.answer()
                if on_result:
                    on_result(result)
    finally:
        background.stop()
        answer_rules(db, results, background.counts)
    return results


@contextmanager
def collector_paused():
    """The cyclic garbage collector off for the block (as it was after): its passes over the
    parsed document, hundreds of thousands of objects that live to the end of its write and
    form no cycles, cost a third of the loader's Python time. The caller collects the young
    generations after each document: the driver's results are in reference cycles, with the
    rows they read (tens of thousands of objects per document)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class RulesInBackground:
    """A thread answering owed incremental rules (rules.service.run_pending) when asked."""

    def __init__(self, db: Database):
        self.db, self.counts = db, {}
        self.wake, self.idle = threading.Event(), threading.Event()
        self.idle.set()
        self._stopping = self._failed = False
        self._thread = threading.Thread(target=self._run, name="incremental rules", daemon=True)
        self._thread.start()

    def answer(self) -> None:
        """Start answering what is owed now (a no-op once a round failed)."""
        if not self._failed:
            self.idle.clear()
            self.wake.set()

    def settle(self) -> None:
        """Wait until the round started by `answer` is done."""
        self.idle.wait()

    def _run(self) -> None:
        from tracegraph.rules import service as rules
        while True:
            self.wake.wait()
            self.wake.clear()
            if self._stopping:
                self.idle.set()
                return
            try:
                rules.add_counts(self.counts, rules.run_pending(self.db))
            except Exception:  # the caller's final answer_rules tries again, and reports
                log.exception("incremental rules in the background failed; they stay owed")
                self._failed = True
                return
            finally:
                self.idle.set()

    def stop(self) -> None:
        self._stopping = True
        self.wake.set()
        self._thread.join()
