"""`tracegraph bench rules`: ingest throughput with incremental rules on vs off (ratio,
target >= 0.8), and a full sweep over the loaded data, time per rule.

Every ingest run loads the same generated files into an emptied database, after a
warm-up load of the first file (so no run pays for query planning alone). Runs alternate
off, on, off, on (`repeats` pairs) and each side reports its best: on two shared cores one
run can be a quarter slower than the next for no reason of its own.
With rules on, each document's rules run after its commit, overlapped with the next
document (tracegraph.capture.files.load_files); the time includes answering the last of them.
"""
from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import typer

from core.errors import TracegraphError
from graph import schema
from graph.db import Database
from loaders.generator import generate
from tracegraph.alerts.service import ensure_schema
from tracegraph.capture.files import expand, load_files
from tracegraph.rules import service as rules
from tracegraph.rules.models import RulesUpdate


def _load(db: Database, files: list[Path], on: bool) -> dict:
    schema.reset(db)
    rules.update(db, RulesUpdate(on_ingest=on), principal="bench")
    started = time.perf_counter()
    results = load_files(db, files)
    seconds = time.perf_counter() - started
    events = sum(r.events_new for r in results)
    return {"events": events, "seconds": seconds, "rate": events / max(seconds, 1e-9)}


def run(db: Database, serials: int, seed: int = 7, echo: Callable[[str], None] = print, repeats: int = 2) -> dict:
    ensure_schema(db)
    with tempfile.TemporaryDirectory(prefix="tg-bench-rules-") as tmp:
        out = Path(tmp)
        echo(f"generating {serials:,} serials (seed {seed}) ...")
        generate(out, serials=serials, seed=seed)
        files = expand([out])
        _load(db, files[:1], True)  # warm-up: plans for ingest and rule queries
        runs: dict[bool, list[dict]] = {False: [], True: []}
        for _ in range(repeats):
            for rules_on in (False, True):
                runs[rules_on].append(_load(db, files, rules_on))
        off, on = (min(runs[side], key=lambda r: r["seconds"]) for side in (False, True))
    sweep = rules.sweep(db, dry_run=True)
    ratio = on["rate"] / off["rate"]
    echo(f"\ningest, {serials:,} serials, {on['events']:,} events, {len(files)} document(s), "
         f"best of {repeats} run(s) each")
    echo(f"{'incremental rules':<20}{'seconds':>10}{'events/s':>12}{'all runs (s)':>24}")
    for label, side, best in (("off (baseline)", False, off), ("on", True, on)):
        every = ", ".join(f"{r['seconds']:.1f}" for r in runs[side])
        echo(f"{label:<20}{best['seconds']:>10.1f}{best['rate']:>12,.0f}{every:>24}")
    echo(f"ratio on/off: {ratio:.2f} (target >= 0.80)")
    total = sweep_table(sweep, f"{serials:,} serials", echo)
    return {"off": off, "on": on, "ratio": ratio, "sweep": sweep.rules, "sweep_seconds": total}


def sweep_table(sweep, what: str, echo: Callable[[str], None]) -> float:
    echo(f"\nfull sweep over {what}")
    echo(f"{'rule':<28}{'findings':>10}{'seconds':>10}")
    total = 0.0
    for code, t in sweep.rules.items():
        total += t["seconds"]
        echo(f"{code:<28}{int(t['findings']):>10}{t['seconds']:>10.2f}")
    echo(f"{'total':<28}{len(sweep.findings):>10}{total:>10.2f}")
    return total


def cli(serials: int = typer.Option(int(os.environ.get("TRACEGRAPH_BENCH_SERIALS", "1000000")), min=1,
                                    help="Generated serials to load (each ingest run loads them all)."),
        seed: int = typer.Option(7, help="Generator seed."),
        repeats: int = typer.Option(2, min=1, help="Off/on pairs of ingest runs; each side reports its best."),
        reset: bool = typer.Option(False, "--reset", help="Required: the benchmark EMPTIES the configured "
                                                          "database (twice) and loads generated data."),
        sweep_only: bool = typer.Option(False, "--sweep-only", help="Only time a full sweep (dry run, nothing "
                                                                    "recorded) over the data already loaded.")) -> None:
    """Ingest events/s with incremental rules on vs off, and a full sweep (time per rule)."""
    from core.settings import get_settings
    if sweep_only:
        with Database(get_settings()) as db:
            items = db.read("verify/items")[0]["items"]
            sweep_table(rules.sweep(db, dry_run=True), f"the loaded data ({items:,} serialized items)", typer.echo)
        return
    if not reset:
        raise TracegraphError("this benchmark empties the configured database; pass --reset to allow it",
                              field="reset")
    with Database(get_settings()) as db:
        schema.migrate(db)
        run(db, serials, seed, echo=typer.echo, repeats=repeats)
