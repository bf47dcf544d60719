"""`make bench`: `tracegraph load --bulk` against the relational peer's load (../shared/peers/pg_peer.py:
COPY into normalised tables, derived genealogy/containment/observation tables, indexes after the
load) on the same generated files, side by side in one run so the ratio holds on a busy machine."""
from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import typer

from core.settings import Settings
from graph.db import Database
from loaders.generator import generate
from tracegraph.bench import own_settings
from tracegraph.bench.peer import Peer
from tracegraph.bench.peer import database as peer_database
from tracegraph.bulk import service as bulk
from tracegraph.capture import files as ingest


def run(settings: Settings, db: Database, serials: int, shape: str = "deep", seed: int = 7,
        empty=lambda: None, echo=print) -> dict:
    """Generate, then time the peer's load and the bulk load of the same files; returns the figures."""
    relational = Peer(peer_database("bulk", settings.neo4j_bolt_port), echo)  # missing: fail before generating
    relational.start()
    try:
        with tempfile.TemporaryDirectory(prefix="tracegraph-bench-bulk-") as tmp:
            out = Path(tmp)
            stats = generate(out, serials=serials, seed=seed, shape=shape)
            files = ingest.expand([out])
            echo(f"{stats.events} events for {serials} serials ({shape}) in {len(files)} file(s)")
            peer = relational.load(out)
            relational.drop()  # before our load: its disk is the peer's at 1M
            empty()
            started = time.perf_counter()
            result = bulk.bulk_load(settings, files, echo=echo)
            ours = time.perf_counter() - started
    finally:
        relational.drop()
    row = {"serials": serials, "events": result.events, "peer_s": round(peer, 1), "bulk_s": round(ours, 1),
           "ratio": round(ours / peer, 2), "steps": result.seconds}
    echo(table(row))
    return row


def table(row: dict) -> str:
    steps = ", ".join(f"{k} {v:.1f}" for k, v in row["steps"].items() if k != "total")
    return (f"\n| serials | events | pg_peer load s | tracegraph --bulk s | bulk / peer |\n|---|---|---|---|---|\n"
            f"| {row['serials']:,} | {row['events']:,} | {row['peer_s']} | {row['bulk_s']} | {row['ratio']}x |\n"
            f"bulk steps (s): {steps}\n")


def cli(serials: int = typer.Option(int(os.environ.get("TRACEGRAPH_BENCH_BULK_SERIALS", "10000")), min=1,
                                    help="Finished serials to generate (default TRACEGRAPH_BENCH_BULK_SERIALS "
                                         "or 10,000)."),
        seed: int = typer.Option(7, help="Generator seed."),
        shape: str = typer.Option("deep", help="Generator shape (deep or standard)."),
        port: int = typer.Option(7712, help="Bolt port of the benchmark's own Neo4j (EMPTIED by each run).")) -> None:
    """`load --bulk` against the relational peer's load of the same generated files.
    Runs on a dedicated local Neo4j started on `port` (its own audit key and checkpoints), never the
    configured database; the step seconds of the bulk load are printed with the ratio."""
    from graph import importer, launcher
    from tracegraph.audit import service as audit
    settings = own_settings(port)
    audit.configure(settings)
    was_running = launcher.status(settings).running
    launcher.start(settings)

    def empty() -> None:  # an import of no data: seconds, where a Cypher delete of a 1M store took minutes
        importer.empty_local(settings, echo=typer.echo)
        audit.retire_checkpoints(keep=False)
    try:
        with Database(settings) as db:
            run(settings, db, serials, shape=shape, seed=seed, empty=empty, echo=typer.echo)
    finally:
        if not was_running:
            launcher.stop(settings)
