"""`tracegraph bench scope`: recall scope latency, tracegraph vs PostgreSQL vs networkx.

One generated data set (loaders.generator) is loaded into Neo4j by the normal loader,
and, by this benchmark, into a local PostgreSQL (natural relational schema, recursive
CTE) and into a networkx graph, both read straight from the EPCIS files. For lots
whose scope is near 10, 1,000 and 100,000 serials it times: the API call (POST
/v1/recall-scope: closure + where every serial is + consignees + first page), the
closure Cypher the API runs (breadth first), the closure as one Cypher statement,
the Postgres CTE and networkx; and checks that all return the same serials.
"""
from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import typer

from graph import schema
from graph.db import Database
from loaders.generator import generate
from tracegraph.bench import without_ingest_hooks
from tracegraph.bench.postgres import LocalPostgres
from tracegraph.capture.files import expand, load_files
from tracegraph.recalls import closure, service
from tracegraph.recalls.models import ScopeRequest

TARGETS = (10, 1_000, 100_000)


def _lot_urn(sgtin: str, lot: str) -> str:
    cp, ref, _ = sgtin.rsplit(":", 1)[1].split(".")
    return f"urn:epc:class:lgtin:{cp}.{ref}.{lot}"


def read_genealogy(files: list[Path]):
    """(items {epc: lot}, transformation inputs, outputs, networkx graph) from EPCIS files."""
    items: dict[str, str | None] = {}
    inputs, outputs = [], []
    graph = nx.DiGraph()
    for path in files:
        for ev in json.loads(path.read_text())["epcisBody"]["eventList"]:
            lot = (ev.get("ilmd") or {}).get("cbvmda:lotNumber")
            if ev["type"] == "TransformationEvent":
                tid = ev.get("transformationID") or ev["eventID"]
                ins = ev.get("inputEPCList", []) + [q["epcClass"] for q in ev.get("inputQuantityList", [])]
                outs = ev.get("outputEPCList", []) + [q["epcClass"] for q in ev.get("outputQuantityList", [])]
                inputs += [(tid, e) for e in ins]
                outputs += [(tid, e) for e in outs]
                graph.add_edges_from((i, o) for i in ins for o in outs)
                made = ev.get("outputEPCList", [])
            elif ev["type"] == "ObjectEvent" and ev.get("action") == "ADD":
                made = ev.get("epcList", [])
            else:
                continue
            for epc in made:
                if ":sgtin:" in epc:
                    items.setdefault(epc, None)
                    if lot:
                        items[epc] = _lot_urn(epc, lot)
                        graph.add_edge(items[epc], epc)
    return items, inputs, outputs, graph


def nx_scope(graph: nx.DiGraph, starts: list[str]) -> list[str]:
    found = set()
    for s in starts:
        found |= {s} | nx.descendants(graph, s)
    return [n for n in found if ":sgtin:" in n]


def pick_starts(graph: nx.DiGraph, targets=TARGETS) -> list[tuple[int, str, int]]:
    """(target, start, scope size): the lot (or serial, for small targets) whose scope is nearest each target."""
    sizes = {n: len(nx_scope(graph, [n])) for n in graph if ":lgtin:" in n or graph.out_degree(n)}
    out = []
    for target in targets:
        lot = min(sizes, key=lambda n: (abs(sizes[n] - target), n))
        out.append((target, lot, sizes[lot]))
    return out


def timed(fn: Callable[[], object], repeats: int) -> tuple[list[float], object]:
    fn()  # warm-up (plans, caches)
    times, result = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return times, result


def pct(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run(db: Database, serials: int, seed: int = 7, repeats: int = 20, echo=print, shape: str = "standard",
        loaded_from: Path | None = None) -> list[dict]:
    """Generate, load everywhere, time, compare. Empties the Neo4j database first, unless
    `loaded_from` names the generated folder already loaded into it (re-runs)."""
    from fastapi.testclient import TestClient

    from api.auth import current_principal
    from api.main import create_app
    from tracegraph.security.models import Principal

    with tempfile.TemporaryDirectory(prefix="tracegraph-bench-") as tmp:
        if loaded_from:
            files = expand([loaded_from])
        else:
            t0 = time.perf_counter()
            generate(Path(tmp), serials, seed, shape=shape)
            files = expand([Path(tmp)])
            echo(f"generated {serials} serials ({shape} shape) in {time.perf_counter() - t0:.1f}s ({len(files)} files)")
            schema.reset(db)
            t0 = time.perf_counter()
            with without_ingest_hooks():
                load_files(db, files)
            echo(f"loaded into Neo4j in {time.perf_counter() - t0:.1f}s")
        items, inputs, outputs, graph = read_genealogy(files)
    picks = pick_starts(graph)
    app = create_app(db.settings)
    app.dependency_overrides[current_principal] = lambda: Principal(id="bench", roles=frozenset({"admin"}))
    rows = []
    with LocalPostgres() as pg, pg.connect() as conn, TestClient(app) as client:
        t0 = time.perf_counter()
        pg.load(conn, list(items.items()), inputs, outputs)
        echo(f"loaded into PostgreSQL in {time.perf_counter() - t0:.1f}s")
        for target, lot, size in picks:
            n = repeats if size <= 10_000 else max(3, repeats // 4)
            body = {"starts": [{"kind": "lot" if ":lgtin:" in lot else "serial", "id": lot}], "page_size": 100}

            def api():
                r = client.post("/v1/recall-scope", json=body)
                r.raise_for_status()
                return r.json()["summary"]["serials"]

            def bfs():
                return db.read_tx(lambda tx: closure.forward(
                    tx, service.resolve_starts(db, tx, ScopeRequest(**body).starts, None), None, None)).serials()

            measured = {
                "api": timed(api, n),
                "api_closure": timed(bfs, n),
                "cypher_1q": timed(lambda: db.read("recall/closure", starts=[lot])[0]["serials"], n),
                "postgres": timed(lambda: pg.scope(conn, [lot]), n),
                "networkx": timed(lambda: nx_scope(graph, [lot]), n),
            }
            answers = {k: sorted(v[1]) for k, v in measured.items() if k != "api"}
            same = len({tuple(a) for a in answers.values()}) == 1 and measured["api"][1] == len(answers["postgres"])
            row = {"target": target, "lot": lot, "serials": len(answers["postgres"]), "repeats": n, "same": same}
            for k, (times, _) in measured.items():
                row[f"{k}_p50"], row[f"{k}_p95"] = pct(times, 0.5), pct(times, 0.95)
            rows.append(row)
    echo(table(rows, serials))
    return rows


def table(rows: list[dict], serials: int) -> str:
    cols = ["api", "api_closure", "cypher_1q", "postgres", "networkx"]
    head = f"{'scope':>8} {'serials':>8} " + " ".join(f"{c + ' p50/p95 ms':>24}" for c in cols)
    lines = [f"recall scope latency, data set of {serials} finished serials", head]
    for r in rows:
        lines.append(f"{r['target']:>8} {r['serials']:>8} " + " ".join(
            f"{r[c + '_p50']:>11.1f}/{r[c + '_p95']:<12.1f}" for c in cols) + ("" if r["same"] else "  ANSWERS DIFFER"))
    lines.append("ratios of p50 (postgres / x: above 1 means x is faster than the Postgres CTE)")
    for r in rows:
        lines.append(f"{r['target']:>8} " + "  ".join(
            f"{c}={r['postgres_p50'] / r[c + '_p50']:.2f}" for c in cols if c != "postgres")
            + f"  same answer: {r['same']}")
    return "\n".join(lines)


def cli(serials: int = typer.Option(0, help="Finished serials (default: TRACEGRAPH_BENCH_SERIALS or 100000)."),
        seed: int = typer.Option(7, help="Generator seed."),
        repeats: int = typer.Option(20, help="Timed runs per measurement (a quarter for scopes over 10k)."),
        port: int = typer.Option(7711, help="Bolt port of the benchmark's own Neo4j."),
        shape: str = typer.Option("deep", help="Generator shape: deep (genealogy 6 levels, 3 packing levels) "
                                               "or standard.")) -> None:
    """Recall scope: tracegraph API and Cypher vs a PostgreSQL recursive CTE vs networkx.
    Runs on a dedicated local Neo4j started on `port`, never on the demo database."""
    from core.errors import TracegraphError
    from core.settings import Settings, get_settings
    from graph import launcher
    from loaders.generator import SHAPES
    if shape not in SHAPES:
        raise TracegraphError(f"--shape must be one of {', '.join(SHAPES)}, not {shape!r}", field="shape")
    serials = serials or int(os.environ.get("TRACEGRAPH_BENCH_SERIALS", "100000"))
    base = get_settings()
    settings = Settings(neo4j_bolt_port=port, neo4j_home=Path(".tracegraph") / f"bench-neo4j-{port}",
                        neo4j_password=base.neo4j_password, neo4j_heap=base.neo4j_heap,
                        neo4j_pagecache_mb=base.neo4j_pagecache_mb)
    was_running = launcher.status(settings).running
    launcher.start(settings)
    try:
        with Database(settings) as db:
            schema.migrate(db)
            run(db, serials, seed, repeats, shape=shape)
    finally:
        if not was_running:
            launcher.stop(settings)
