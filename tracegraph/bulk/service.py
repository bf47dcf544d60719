"""`tracegraph load --bulk`: a first load of history into an EMPTY database.

1. Every document is parsed and checked as the streaming loader does (schema, identifiers,
   the data-quality checks, with what earlier documents established as the facts); one
   refusal refuses the whole load and nothing is written.
2. The graph the streaming writer would build is replayed in memory and written as CSV
   (tracegraph/bulk/graph.py), then Neo4j's offline importer writes the store while the
   local Neo4j is stopped (graph/importer.py).
   Genealogy (INTO links, InCycle marks) is computed there too (tracegraph/bulk/genealogy.py).
3. After the restart: schema and migrations, what the import cannot express (master-data
   versions, declarations, quality findings), the EPCIS query facets,
   the stored item state, a rules sweep, and one audit record of the whole load.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import tempfile
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from core.errors import TracegraphError
from core.settings import Settings
from graph import importer, launcher, schema
from graph.db import Database, run
from loaders.epcis.document import Document, LoadError, read_file
from tracegraph.audit import service as audit
from tracegraph.bulk.errors import BulkRefused
from tracegraph.bulk.graph import ARRAY_OPTION, GraphBuilder
from tracegraph.capture.files import collector_paused
from tracegraph.capture.hooks import IngestContext
from tracegraph.capture.writer import Rows
from tracegraph.epcis_query import service as epcis_query
from tracegraph.quality import service as quality
from tracegraph.recalls import state as item_state
from tracegraph.rules import service as rules

Echo = Callable[[str], None]
BATCH = 5000
WORKERS = min(4, os.cpu_count() or 1)  # parallel transactions for the state and the rules
STATE_SLICE = 4000
# processes parsing files ahead of the replay: the replay keeps a core; on two cores or fewer a
# pool costs more (moving a parsed document between processes costs half its parse) than it saves
PARSERS = min(4, (os.cpu_count() or 1) - 1)


@dataclass
class BulkResult:
    files: int
    documents: int
    events: int
    items_state: int
    alerts_opened: int
    seconds: dict[str, float]


def refuse_non_empty(db: Database) -> None:
    found = db.read("bulk/nonempty")
    if found:
        raise BulkRefused(f"the database is not empty (it holds {':'.join(found[0]['labels'])} nodes and maybe "
                          "more); --bulk loads only into an empty database: use `tracegraph load` to add to it")


def _refused(path: Path, exc: Exception) -> BulkRefused:
    if isinstance(exc, LoadError):
        where = f"event {exc.index}: " if exc.index is not None else ""
        return BulkRefused(f"{path.name}: {where}{exc.field}: {exc.reason}; nothing was loaded")
    return BulkRefused(f"{path.name}: {exc}; nothing was loaded")


def _parse(path: Path, known: set[str], settings: Settings) -> Document | None:
    """A pool worker's parse of one file (None when refused: the caller reads it again to say why)."""
    try:
        return read_file(path, known, settings=settings)
    except Exception:  # noqa: BLE001 (any refusal is re-raised by the caller, in order, with its own reading)
        return None


def _read(path: Path, known: set[str], settings: Settings) -> Document:
    try:
        return read_file(path, known, settings=settings)
    except (TracegraphError, ValueError) as exc:
        raise _refused(path, exc) from exc


def parsed(files: list[Path], known: set[str], settings: Settings, learned: Callable[[], set[str]]):
    """Each file's Document, in order, parsed ahead in a process pool while the caller replays the
    previous ones. A worker knows only `known`; a document is parsed again here, with what the
    documents before it taught (`learned()`), when that could change it (a Digital Link converts
    with the company prefixes known) or when the worker refused it (so the error is exact)."""
    if len(files) < 2 or PARSERS < 2:
        for path in files:
            yield path, _read(path, known | learned(), settings)
        return
    pool = ProcessPoolExecutor(max_workers=PARSERS, mp_context=multiprocessing.get_context("fork"))
    try:
        ahead = deque(pool.submit(_parse, path, known, settings) for path in files[:PARSERS * 2])
        for n, path in enumerate(files):
            doc = ahead.popleft().result()
            if n + len(ahead) + 1 < len(files):
                ahead.append(pool.submit(_parse, files[n + len(ahead) + 1], known, settings))
            # a worker's prefixes are its `known` plus what the document itself names (learnt before
            # any conversion): enough when no conversion used them, or when they cover what earlier
            # documents taught
            if doc is None or doc.prefix_bound and not (known | learned()) <= set(doc.prefixes):
                doc = _read(path, known | learned(), settings)
            yield path, doc
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def gc_paused():
    """The cyclic garbage collector off for the block (as it was after). The replay makes millions of
    objects that live to its end and form no cycles; the collector's passes over them, ever longer,
    cost a third of the replay's CPU at 20k serials and more with every document. What the block
    leaves is then frozen (gc.freeze: never scanned again, still freed when no longer referenced), so
    the collector's first pass after it is not one over all of them."""
    with collector_paused():
        try:
            yield
        finally:
            gc.freeze()


def validate(files: list[Path], settings: Settings, out: Path, echo: Echo) -> GraphBuilder:
    """Parse and check every document in order, replaying the graph into CSVs under `out`."""
    builder = GraphBuilder(out, datetime.now(UTC))
    known = set(settings.company_prefixes)
    docs = parsed(files, known, settings, lambda: builder.prefixes)
    with gc_paused():
        _replay(files, builder, docs, settings, echo)
    return builder


def _replay(files: list[Path], builder: GraphBuilder, docs, settings: Settings, echo: Echo) -> None:
    try:
        for n, (path, doc) in enumerate(docs, 1):
            try:
                new = builder.new_events(doc)
                ctx = IngestContext(None, settings, doc, new)
                quality.check(ctx, builder.facts(new))
                builder.add(doc, new, ctx.notes.get(quality.NOTE) or [])
            except (TracegraphError, ValueError) as exc:
                raise _refused(path, exc) from exc
            if n % 50 == 0 or n == len(files):
                echo(f"checked {n}/{len(files)} file(s), {builder.events_new} events")
    finally:
        docs.close()  # stops the parsing pool (also when a document was refused)


def backfill(db: Database, epcs: list[str]) -> None:
    """The items' stored state, slices of them in parallel transactions (Neo4j computes each on
    its own core). The slices never wait for each other: each locks only its own items."""
    slices = [epcs[i:i + STATE_SLICE] for i in range(0, len(epcs), STATE_SLICE)]
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for _ in pool.map(lambda part: item_state.backfill(db, part), slices):
            pass


def bulk_load(settings: Settings, files: list[Path], actor: str = "system", echo: Echo = print,
              work_dir: Path | None = None, imported: bool = False) -> BulkResult:
    """Load `files` into the empty local database; raises BulkRefused (nothing written) when it cannot.
    `imported`: the CSVs of an earlier run were imported by hand (Docker, remote): only finish."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    if imported:
        builder = validate(files, settings, Path(tempfile.mkdtemp(prefix="tracegraph-bulk-", dir=work_dir)), echo)
        for writer in builder.writers.values():
            writer.close()
        shutil.rmtree(builder.out, ignore_errors=True)
        with Database(settings) as db:
            return _after_import(db, builder, files, actor, echo, seconds, started, current=False)
    with Database(settings) as db:
        refuse_non_empty(db)
    local = launcher.is_local(settings)
    scratch = Path(tempfile.mkdtemp(prefix="tracegraph-bulk-", dir=work_dir))
    try:
        builder = validate(files, settings, scratch, echo)
        with gc_paused():
            csvs = builder.finish()
        seconds["validate_and_csv"] = time.perf_counter() - started
        if not local:
            scratch = None  # the CSVs stay for the user to import
            raise BulkRefused(
                f"Neo4j at {settings.neo4j_uri} is not this machine's launcher, so its store cannot be written "
                f"from here; nothing was loaded. The CSVs are in {csvs['nodes'][0].parent}. Stop the database, "
                f"mount that folder at /import (Docker) and run "
                f"`{importer.docker_command(csvs, settings.neo4j_database, ARRAY_OPTION)}`, start it again, then "
                "finish with `tracegraph load --bulk --imported` on the same files")
        with Database(settings) as db:  # nothing may have arrived meanwhile
            refuse_non_empty(db)
        try:
            # Neo4j answers again after it, also when it fails; its step seconds: stop, import, start
            seconds.update(importer.replace_local_store(settings, csvs, ARRAY_OPTION, echo=echo,
                                                        what=f"{builder.events_new} events"))
        except importer.ImportFailed as exc:
            if exc.emptied:  # an empty store replaced the failed one: give it the schema back
                with Database(settings) as db:
                    schema.migrate(db)
            raise
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    with Database(settings) as db:
        return _after_import(db, builder, files, actor, echo, seconds, started, current=True)


class Phases:
    """Seconds per step of the load, as `with phases("name"):` blocks (summed when a name recurs)."""

    def __init__(self, seconds: dict[str, float]):
        self.seconds = seconds

    @contextmanager
    def __call__(self, name: str):
        mark = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - mark


def _after_import(db: Database, builder: GraphBuilder, files: list[Path], actor: str, echo: Echo,
                  seconds: dict[str, float], started: float, current: bool) -> BulkResult:
    """`current`: this run's import wrote the store (not a hand import that may have met a start-up)."""
    # the item-history rules are judged in Python (from the replay) while Neo4j builds the schema and
    # writes the steps below; the sweep then takes them, at the same `now`
    early = ThreadPoolExecutor(max_workers=1)
    try:
        return _finish(db, builder, files, actor, echo, seconds, started, current, (early, datetime.now(UTC)))
    finally:
        early.shutdown(wait=True, cancel_futures=True)


def _finish(db: Database, builder: GraphBuilder, files: list[Path], actor: str, echo: Echo,
            seconds: dict[str, float], started: float, current: bool, early: tuple) -> BulkResult:
    phase = Phases(seconds)
    known = rules.from_histories(db, builder.sightings, early) if current else None
    echo("creating constraints and indexes...")
    with phase("schema"):  # the import wrote the latest form of the data, with no schema
        # the indexes populate while the steps below run (constraints are online: the writes'
        # MERGEs need them); the load waits for them at its end
        schema.migrate(db, current=current, wait=False)
    echo("master data, declarations, findings...")
    with phase("master_data"):
        for doc in builder.master:  # versions are made per document, in load order, as ingest/* makes them
            rows = Rows(doc, [])
            db.write_tx(lambda tx, rows=rows: [run(tx, name, rows=r) for name, r in (
                ("ingest/parties", rows.parties), ("ingest/sites", rows.sites), ("ingest/products", rows.products))])
    declared = builder.declaration_rows()
    with phase("declarations"):
        for i in range(0, len(declared), BATCH):
            db.write("bulk/declared", rows=declared[i:i + BATCH])
    with phase("findings"):
        for found in builder.findings:
            def record(tx, found=found) -> None:
                ctx = IngestContext(tx, db.settings, found.doc, found.events, actor)
                ctx.notes[quality.NOTE] = found.flagged
                quality.record_findings(ctx)
            db.write_tx(record)
    with phase("resample"):
        db.write("schema/resample")
    # facets came with the CSVs; a declaration made by a later document changes its event's
    with phase("facets"):
        ids = [d["event_id"] for d in declared]
        for i in range(0, len(ids), BATCH):
            db.write_tx(lambda tx, chunk=ids[i:i + BATCH]: epcis_query.index_events(tx, chunk, builder.prefixes))
    with phase("state"):  # the items' state came with the CSVs (tracegraph/bulk/state.py); any left over:
        pending = item_state.pending(db)
        if pending:
            echo(f"stored state of {len(pending)} item(s)...")
            backfill(db, pending)
    echo("rules sweep...")
    with phase("rules"):
        # the item histories were replayed for the state: the rules that read only them are judged
        # from the replay (a hand import's finish did not replay them: the queries judge all)
        swept = rules.sweep(db, actor=actor, workers=WORKERS, known=known, now=early[1])
    echo("rules: " + ", ".join(f"{code} {t['seconds']:.1f}s" for code, t in swept.rules.items()))
    with phase("indexes"):
        schema.await_indexes(db)
    seconds["total"] = time.perf_counter() - started
    result = BulkResult(len(files), len(builder.documents), builder.events_new, builder.items_state + len(pending),
                        swept.opened,
                        {k: round(v, 2) for k, v in seconds.items()})
    db.write_tx(lambda tx: audit.record(
        tx, actor=actor, action="ingest.bulk", subject="all",
        after={"files": result.files, "documents": result.documents, "events": result.events,
               "alerts_opened": result.alerts_opened}))
    return result
