"""`tracegraph bench ingest`: the same generated EPCIS events loaded, into the same Neo4j in
the same run, one transaction per document for each:
- raw: the minimal `UNWIND ... CREATE` baseline (decode + one node per event);
- graph: the least a graph loader can do (each event's node and a relationship to every
  object it names, objects MERGEd by key; no validation), to show how much of the gap
  between raw and tracegraph is the graph itself rather than validation;
- tracegraph: parse, JSON Schema, identifiers, binding and quality checks, holds, the full
  graph (lots, packing, genealogy, item state), audit and the incremental rules.
Scales: TRACEGRAPH_BENCH_EVENTS (comma-separated event counts, default 100000,1000000)."""
from __future__ import annotations

import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import typer

from core import fastjson
from core.errors import TracegraphError
from core.settings import get_settings
from graph import schema
from graph.db import Database
from graph.db import run as run_query
from loaders.generator import generate
from tracegraph.capture.files import expand, load_files

EVENTS_PER_SERIAL = 1.73  # what the generator makes per finished serial (measured)


def scales() -> list[int]:
    return [int(x) for x in os.environ.get("TRACEGRAPH_BENCH_EVENTS", "100000,1000000").split(",") if x.strip()]


def _raw_row(e: dict) -> dict:
    return {"event_id": e.get("eventID"), "type": e["type"], "time": e["eventTime"],
            "raw": fastjson.dumps(e)}


_OBJECT_FIELDS = (("epcList", "epc"), ("childEPCs", "child"), ("inputEPCList", "input"),
                  ("outputEPCList", "output"))


def _graph_row(e: dict) -> dict:
    objects = {(epc, role) for key, role in _OBJECT_FIELDS for epc in e.get(key) or []}
    if e.get("parentID"):
        objects.add((e["parentID"], "parent"))
    return {**_raw_row(e), "objects": [{"epc": epc, "role": role} for epc, role in sorted(objects)]}


def _load_plain(db: Database, files: list[Path], make_row: Callable[[dict], dict], query: str) -> int:
    """A baseline load: decode (the JSON codec tracegraph uses, so the baselines are not handicapped),
    one row per event, `query` over batches, a transaction per file."""
    n = 0
    batch = db.settings.write_batch_size
    for path in files:
        rows = [make_row(e) for e in fastjson.loads(path.read_bytes())["epcisBody"]["eventList"]]
        n += len(rows)

        def work(tx, rows=rows):
            for start in range(0, len(rows), batch):
                run_query(tx, query, rows=rows[start:start + batch])
        db.write_tx(work)
    return n


def baseline(db: Database, files: list[Path]) -> int:
    return _load_plain(db, files, _raw_row, "ingest/raw_baseline")


def graph_baseline(db: Database, files: list[Path]) -> int:
    return _load_plain(db, files, _graph_row, "ingest/raw_graph_baseline")


def tracegraph_load(db: Database, files: list[Path]) -> tuple[int, float]:
    """Events loaded, and seconds spent in the ingest hooks of other domains (quality, audit)."""
    from tracegraph.capture import hooks as ingest_hooks
    spent = Counter()
    originals = ingest_hooks.before_write, ingest_hooks.after_write

    def timed(name, fn):
        def wrapper(ctx):
            t = time.perf_counter()
            try:
                return fn(ctx)
            finally:
                spent[name] += time.perf_counter() - t
        return wrapper
    ingest_hooks.before_write = timed("before", originals[0])
    ingest_hooks.after_write = timed("after", originals[1])
    try:
        results = load_files(db, files)
    finally:
        ingest_hooks.before_write, ingest_hooks.after_write = originals
    return sum(r.events_new for r in results), sum(spent.values())


def measure(db: Database, n_events: int, seed: int = 11, echo=print) -> dict:
    with tempfile.TemporaryDirectory(prefix="tg-bench-ingest-") as tmp:
        generate(Path(tmp), serials=max(1, round(n_events / EVENTS_PER_SERIAL)), seed=seed)
        files = expand([Path(tmp)])
        # warm up: whichever loader ran first paid for Neo4j's JIT and query compilation
        for load in (baseline, graph_baseline, load_files):
            schema.reset(db)
            load(db, files[:1])
        schema.reset(db)
        t = time.perf_counter()
        raw_events = baseline(db, files)
        raw_s = time.perf_counter() - t
        schema.reset(db)
        t = time.perf_counter()
        graph_events = graph_baseline(db, files)
        graph_s = time.perf_counter() - t
        schema.reset(db)
        t = time.perf_counter()
        tg_events, hooks_s = tracegraph_load(db, files)
        tg_s = time.perf_counter() - t
        schema.reset(db)
    row = {"events": raw_events, "graph_events": graph_events, "tracegraph_events": tg_events,
           "raw_per_s": raw_events / raw_s, "graph_per_s": graph_events / graph_s,
           "tracegraph_per_s": tg_events / tg_s, "hooks_share": hooks_s / tg_s,
           "writer_per_s": tg_events / max(tg_s - hooks_s, 1e-9)}
    row["ratio"] = row["tracegraph_per_s"] / row["raw_per_s"]
    row["writer_ratio"] = row["writer_per_s"] / row["raw_per_s"]
    row["graph_ratio"] = row["graph_per_s"] / row["raw_per_s"]
    row["vs_graph"] = row["tracegraph_per_s"] / row["graph_per_s"]
    return row


def table(rows: list[dict]) -> str:
    lines = [f"{'events':>9} {'raw ev/s':>10} {'graph ev/s':>11} {'tracegraph ev/s':>16} {'tg/raw':>7} "
             f"{'graph/raw':>10} {'tg/graph':>9} {'hooks %':>8} {'w/o hooks ev/s':>15}"]
    for r in rows:
        lines.append(f"{r['events']:>9} {r['raw_per_s']:>10,.0f} {r['graph_per_s']:>11,.0f} "
                     f"{r['tracegraph_per_s']:>16,.0f} {r['ratio']:>7.3f} {r['graph_ratio']:>10.3f} "
                     f"{r['vs_graph']:>9.3f} {100 * r['hooks_share']:>7.0f}% {r['writer_per_s']:>15,.0f}")
    return "\n".join(lines)


def cli(events: str = typer.Option(None, help="Comma-separated event counts (default TRACEGRAPH_BENCH_EVENTS "
                                                "or 100000,1000000)."),
        reset: bool = typer.Option(False, "--reset", help="Required: the benchmark EMPTIES the configured "
                                                          "database (three times per scale).")) -> None:
    """Ingest throughput: tracegraph (all validation on) against a raw UNWIND ... CREATE baseline
    and a minimal graph baseline."""
    if not reset:
        raise TracegraphError("this benchmark empties the configured database; pass --reset to allow it",
                              field="reset")
    counts = [int(x) for x in events.split(",")] if events else scales()
    with Database(get_settings()) as db:
        schema.migrate(db)
        rows = [measure(db, n) for n in counts]
    typer.echo(table(rows))
