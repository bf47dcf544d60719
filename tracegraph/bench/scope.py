"""`tracegraph bench scope`: trace, recall scope and genealogy through the API, side by side
with the relational peer (`../shared/peers/pg_peer.py`: PostgreSQL, COPY-loaded normalised
tables, derived genealogy / containment / observation tables, one recursive-CTE statement
per scope).

One generated data set (loaders.generator, `--shape deep` by default) is loaded into Neo4j
by the normal loader and into the peer by the peer's own loader (`pg_peer.sh start`, then
`pg_peer.py load`, in a database of its own on the peer's server). For the lots whose
forward scope is nearest 200, 1,000 and 100,000 serials, each round calls, one after the
other (so that a busy machine slows all alike): `GET /v1/trace/forward` (one page holding
the whole trace), `POST /v1/recall-scope`, the same scope as of the moment the timing starts
(the as-of path: the links and item states known then, computed from the events; after the load,
so the same answer), `GET /v1/genealogy/{id}?direction=forward` and the peer's CTE. The API is
called as its users call it: uvicorn (one worker, as `tracegraph serve`) on loopback, over
HTTP with keep-alive, with an investigator's API key (an in-process test client would time the
app without its server and sockets). It checks that the answers agree
(trace: serials, containers and sites; recall scope: the number of serials, and the as-of
scope's summary the same as now; genealogy: the serials, when not truncated) and
prints p50 latencies and the ratios API / peer (at most 1.0: the API, request stack and
all, is as fast as the relational design queried directly).
"""
from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import httpx
import typer

from graph import schema
from graph.db import Database
from loaders.generator import generate
from tracegraph.audit import service as audit
from tracegraph.bench import own_settings, verify, without_ingest_hooks
from tracegraph.bench.peer import Peer
from tracegraph.bench.peer import database as peer_database
from tracegraph.capture.files import expand, load_files
from tracegraph.recalls import state as item_state

TARGETS = (200, 1_000, 100_000)
# recall_scope_as_of: as of the moment the timing starts, after the load: the same answer as now, by
# the as-of path (links and item states as known then, computed from the events, none stored)
CALLS = ("trace", "recall_scope", "recall_scope_as_of", "genealogy", "peer")


def pick(peer: Peer, cur, targets=TARGETS) -> list[tuple[int, str, int]]:
    """(target, lot, serials): the lot input whose forward scope is nearest each target."""
    lots = [r[0] for r in cur.execute("SELECT DISTINCT input_id FROM genealogy "
                                      "WHERE input_id LIKE 'urn:epc:class:lgtin:%' ORDER BY 1").fetchall()]
    sizes = {lot: len(peer.scope(cur, lot)["serials"]) for lot in lots}
    return [(t, *min(sizes.items(), key=lambda kv: (abs(kv[1] - t), kv[0]))) for t in targets]


def agree(trace: dict, peer: dict) -> bool:
    return all(sorted(trace[k]) == peer[k] for k in ("serials", "containers", "sites"))


CALL_SECONDS = 300  # a 100k-serial trace on a busy machine
SMALL = 10_000  # serials: a scope up to this size is timed in many rounds (below)
WARMUP = 50  # untimed rounds per small scope (the JVM takes dozens to compile a plan hot)
# timed rounds at least, per small scope: a round takes milliseconds there, and on a virtual
# machine the same call swings by a half from one run of a few dozen calls to the next
SMALL_ROUNDS = 100


def measure(client, peer: Peer, cur, root: str, repeats: int, warmup: int = 1) -> dict:
    """Alternate the five calls `repeats` times after `warmup` untimed rounds; p50s and answers."""
    q = quote(root, safe="")
    as_of = datetime.now(UTC).isoformat()

    def get(url: str) -> dict:
        r = client.get(url)
        r.raise_for_status()
        return r.json()

    def post(url: str, body: dict) -> dict:
        r = client.post(url, json=body)
        r.raise_for_status()
        return r.json()

    calls: dict[str, Callable[[], dict]] = {
        "trace": lambda: get(f"/v1/trace/forward?id={q}&limit=100000"),
        "recall_scope": lambda: post("/v1/recall-scope", {"starts": [{"kind": "lot", "id": root}]}),
        "recall_scope_as_of": lambda: post("/v1/recall-scope", {"starts": [{"kind": "lot", "id": root}],
                                                                 "as_of": as_of}),
        "genealogy": lambda: get(f"/v1/genealogy/{q}?direction=forward&depth=32&max_nodes=10000"),
        "peer": lambda: peer.scope(cur, root),
    }
    times: dict[str, list[float]] = {k: [] for k in calls}
    answers: dict[str, dict] = {}
    for n in range(warmup + repeats):
        for name, call in calls.items():
            t0 = time.perf_counter()
            answers[name] = call()
            if n >= warmup:
                times[name].append((time.perf_counter() - t0) * 1000)
    want = answers["peer"]
    tree = answers["genealogy"]
    tree_serials = sorted(n["epc"] for n in tree["nodes"] if n["kind"] == "item" and n["epc"] != root)
    checks = {"trace": agree(answers["trace"], want) and answers["trace"]["next"] is None,
              "recall_scope": answers["recall_scope"]["summary"]["serials"] == len(want["serials"]),
              "recall_scope_as_of": answers["recall_scope_as_of"]["summary"] == answers["recall_scope"]["summary"],
              "genealogy": tree["truncated"] or tree_serials == want["serials"]}
    return {"p50": {k: statistics.median(v) for k, v in times.items()}, "same": all(checks.values()),
            "checks": checks, "genealogy_truncated": tree["truncated"]}


def run(db: Database, serials: int, seed: int = 11, repeats: int = 5, echo=print, shape: str = "deep",
        loaded_from: Path | None = None) -> list[dict]:
    """Generate (into `loaded_from` when it is empty, kept for re-runs; a non-empty one was loaded into
    Neo4j by an earlier run), load both sides, time, compare."""
    peer = Peer(peer_database("scope", db.settings.neo4j_bolt_port), echo)
    peer.start()
    with tempfile.TemporaryDirectory(prefix="tracegraph-bench-") as tmp:
        folder = loaded_from or Path(tmp)
        if not (loaded_from and loaded_from.is_dir() and any(loaded_from.iterdir())):  # else: loaded already
            folder.mkdir(parents=True, exist_ok=True)
            t0 = time.perf_counter()
            generate(folder, serials, seed, shape=shape)
            echo(f"generated {serials} serials ({shape} shape, seed {seed}) in {time.perf_counter() - t0:.1f}s")
            schema.reset(db)
            audit.retire_checkpoints(keep=False)  # the emptied store starts a new chain
            t0 = time.perf_counter()
            with without_ingest_hooks():
                load_files(db, expand([folder]))
            # the hooks write the audit trail too: one record for the whole load, as a bulk load has
            db.write_tx(lambda tx: audit.record(tx, actor="bench", action="ingest.bench", subject="all",
                                                after={"serials": serials, "shape": shape, "seed": seed}))
            echo(f"loaded into Neo4j in {time.perf_counter() - t0:.1f}s")
        # the load ran without ingest hooks: store each item's state and places, as a real load has them
        t0 = time.perf_counter()
        pending = item_state.pending(db)
        item_state.backfill(db, pending)
        echo(f"stored the state of {len(pending):,} items in {time.perf_counter() - t0:.1f}s")
        peer.load(folder)
    rows = []
    try:
        # the API as its users call it: uvicorn (one worker) on loopback, with an investigator's API key
        key = verify.bench_key(db)
        with verify.serving("api.main:app", verify.server_env(db)) as (_, base), peer.connect() as conn, \
                conn.cursor() as cur, httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"},
                                                   timeout=CALL_SECONDS) as client:
            for target, lot, size in pick(peer, cur):
                small = size <= SMALL
                n = max(repeats, SMALL_ROUNDS) if small else max(2, repeats // 2)
                # untimed rounds first: a server in service has its plans compiled and JIT-warm and its
                # pages cached, as the peer's PostgreSQL has; the bench's Neo4j was just started
                rows.append({"target": target, "lot": lot, "serials": size, "repeats": n,
                             **measure(client, peer, cur, lot, n, warmup=WARMUP if small else 1)})
    finally:
        peer.drop()  # loaded again by every run (the folder kept by --data is loaded into Neo4j only once)
    echo(table(rows, serials, shape))
    return rows


def table(rows: list[dict], serials: int, shape: str) -> str:
    head = ["forward scope", "GET /v1/trace/forward", "POST /v1/recall-scope", "recall scope as of",
            "GET /v1/genealogy", "peer CTE", "ratio trace", "ratio scope", "ratio as of", "ratio genealogy",
            "answers"]
    lines = [f"p50 ms, {serials:,}-serial {shape} data set, API (uvicorn, HTTP on loopback) vs the relational peer",
             "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        p = r["p50"]
        ratio = [f"{p[k] / p['peer']:.2f}" for k in ("trace", "recall_scope", "recall_scope_as_of", "genealogy")]
        if r["genealogy_truncated"]:
            ratio[3] += " (truncated)"
        lines.append("| " + " | ".join([f"{r['serials']:,} serials", *(f"{p[k]:.1f}" for k in CALLS), *ratio,
                                          "agree" if r["same"] else f"DIFFER {r['checks']}"]) + " |")
    return "\n".join(lines)


def cli(serials: int = typer.Option(0, help="Finished serials (default: TRACEGRAPH_BENCH_SERIALS or 100000)."),
        seed: int = typer.Option(11, help="Generator seed."),
        repeats: int = typer.Option(5, help="Timed rounds per scope: at least 100 up to 10k serials, "
                                            "half of this over 10k."),
        port: int = typer.Option(7711, help="Bolt port of the benchmark's own Neo4j."),
        shape: str = typer.Option("deep", help="Generator shape: deep (genealogy 6 levels, 3 packing levels) "
                                               "or standard."),
        data: Path | None = typer.Option(None, help="A folder to keep the generated data in: when it is "
                                                    "empty or absent, the run generates into it and loads "
                                                    "it; else it was loaded into that Neo4j by an earlier "
                                                    "run, and is neither generated nor loaded again.")) -> None:
    """Trace, recall scope and genealogy through the API vs the relational peer (../shared/peers).
    Runs on a dedicated local Neo4j started on `port`, never on the demo database."""
    from core.errors import TracegraphError
    from graph import launcher
    from loaders.generator import SHAPES
    if shape not in SHAPES:
        raise TracegraphError(f"--shape must be one of {', '.join(SHAPES)}, not {shape!r}", field="shape")
    serials = serials or int(os.environ.get("TRACEGRAPH_BENCH_SERIALS", "100000"))
    settings = own_settings(port)
    audit.configure(settings)
    was_running = launcher.status(settings).running
    launcher.start(settings)
    try:
        with Database(settings) as db:
            schema.migrate(db)
            run(db, serials, seed, repeats, shape=shape, loaded_from=data)
    finally:
        if not was_running:
            launcher.stop(settings)
