"""`tracegraph bench verify`: GET /v1/verify under concurrent load, against an empty
FastAPI endpoint served the same way.

Both apps run under uvicorn (one worker) on 127.0.0.1; a second process drives each
with the same number of concurrent keep-alive connections for the same time, and we
report requests/s, p50 and p99. Verify calls carry an API key and a `party` (so the
holder check runs) and ask about serials spread over the generated data.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import typer
from fastapi import FastAPI

from core.errors import TracegraphError
from graph import schema
from graph.db import Database
from loaders.generator import generate
from tracegraph.bench import without_ingest_hooks
from tracegraph.capture.files import expand, load_files
from tracegraph.security import service as security
from tracegraph.security.models import NewKey, NewUser

empty = FastAPI()  # the baseline: same server, same client, no work


@empty.get("/empty")
def _empty() -> dict:
    return {}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


START_SECONDS = 300  # a server importing the app on a loaded 2-core machine took over 60 s


def _serve(app: str, env: dict, cwd: Path | None = None) -> tuple[subprocess.Popen, str]:
    """`app` served by uvicorn; from `cwd`, its code too (`-m` puts the working directory first on sys.path)."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port),
                             "--workers", "1", "--log-level", "warning", "--no-access-log"],
                            env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(base + "/openapi.json", timeout=1).status_code == 200:
                return proc, base
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    proc.wait()
    raise RuntimeError(f"{app} did not start in {START_SECONDS}s: {proc.stderr.read().decode()[-2000:]}")


@contextlib.contextmanager
def serving(app: str, env: dict, cwd: Path | None = None) -> Iterator[tuple[subprocess.Popen, str]]:
    """`_serve`, stopped on the way out; yields the server's process and base URL."""
    proc, base = _serve(app, env, cwd)
    try:
        yield proc, base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


async def _drive(urls: list[str], headers: dict, concurrency: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=10) as client:
        end = time.perf_counter() + seconds

        async def worker(n: int) -> None:
            nonlocal errors
            i = n
            while time.perf_counter() < end:
                started = time.perf_counter()
                response = await client.get(urls[i % len(urls)])
                latencies.append(time.perf_counter() - started)
                errors += response.status_code != 200
                i += concurrency
        began = time.perf_counter()
        await asyncio.gather(*(worker(n) for n in range(concurrency)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    return {"requests": len(latencies), "errors": errors, "rps": len(latencies) / elapsed,
            "p50_ms": pick(0.50), "p99_ms": pick(0.99)}


def load_main() -> None:
    """The load process: stdin = JSON {urls, headers, concurrency, seconds}; prints JSON results."""
    spec = json.loads(sys.stdin.read())
    print(json.dumps(asyncio.run(_drive(spec["urls"], spec["headers"], spec["concurrency"], spec["seconds"]))))


def _load(urls: list[str], headers: dict, concurrency: int, seconds: float) -> dict:
    spec = json.dumps({"urls": urls, "headers": headers, "concurrency": concurrency, "seconds": seconds})
    out = subprocess.run([sys.executable, "-c", "from tracegraph.bench.verify import load_main; load_main()"],
                         input=spec, capture_output=True, text=True, check=True, timeout=seconds + 120)
    return json.loads(out.stdout)


def prepare(db: Database, serials: int, seed: int = 11, reset: bool = True, folder: Path | None = None,
            shape: str = "standard") -> None:
    """Load a generated data set of `serials` serials unless one of that size is there: the
    EPCIS files in `folder` when given (bench serial loads them into its peer too), else
    generated here."""
    schema.migrate(db)
    if db.read("verify/items")[0]["items"] >= serials and db.read("verify/sample", skip=0, limit=1):
        return
    if not reset:
        raise TracegraphError(f"the database holds fewer than {serials} serials; pass --reset to empty it and "
                              "load generated data")
    schema.reset(db)
    with tempfile.TemporaryDirectory() as tmp:
        if folder is None:
            folder = Path(tmp)
            generate(folder, serials, seed, shape=shape)
        files = expand([folder])
        started, done = time.perf_counter(), []

        def report(result) -> None:  # a million serials take a while: say how far
            done.append(result.events_new)
            if len(done) % 20 == 0 or len(done) == len(files):
                print(f"loaded {len(done)}/{len(files)} documents, {sum(done):,} events, "
                      f"{sum(done) / (time.perf_counter() - started):,.0f} events/s", file=sys.stderr, flush=True)
        with without_ingest_hooks():
            load_files(db, files, on_result=report)


def bench_key(db: Database) -> str:
    """An API key of a fresh investigator (every read, verification too), valid for a day."""
    user = f"bench-{os.getpid()}-{int(time.time())}"
    security.create_user(db, NewUser(name=user, roles=["investigator"]), actor="bench")
    return security.issue_key(db, user, NewKey(label="bench", expires_in_days=1), actor="bench").key


def server_env(db: Database) -> dict:
    """The environment of an API server on this database, without partner rate limits. It signs
    audit records with this database's key, and checkpoints beside its others (a bench's own Neo4j
    has its own: tracegraph.bench.own_settings)."""
    s = db.settings
    return dict(os.environ, TRACEGRAPH_NEO4J_URI=s.neo4j_uri, TRACEGRAPH_NEO4J_USER=s.neo4j_user,
                TRACEGRAPH_NEO4J_PASSWORD=s.neo4j_password, TRACEGRAPH_NEO4J_DATABASE=s.neo4j_database,
                TRACEGRAPH_AUDIT_KEY_PATH=str(s.audit_key_path.resolve()),
                TRACEGRAPH_AUDIT_CHECKPOINT_DIR=str(s.audit_checkpoint_dir.resolve()),
                TRACEGRAPH_PARTNER_RATE_PER_MINUTE=str(10 ** 9), TRACEGRAPH_PARTNER_RATE_BURST=str(10 ** 9))


def run(db: Database, serials: int, seconds: float = 10.0, concurrency: int = 4, echo=print,
        reset: bool = True) -> dict:
    prepare(db, serials, reset=reset)
    items = db.read("verify/items")[0]["items"]
    sample = db.read("verify/sample", skip=0, limit=20_000)
    rng = random.Random(5)
    rng.shuffle(sample)
    key, env = bench_key(db), server_env(db)
    results = {}
    for name, app, urls, headers in (
        ("empty FastAPI", "tracegraph.bench.verify:empty", ["/empty"], {}),
        ("GET /v1/verify", "api.main:app",
         [f"/v1/verify?id={r['epc']}&party={r['party']}" for r in sample], {"Authorization": f"Bearer {key}"}),
    ):
        with serving(app, env) as (_, base):
            _load([base + u for u in urls[:200]], headers, concurrency, min(2.0, seconds))  # warm up
            results[name] = _load([base + u for u in urls], headers, concurrency, seconds)
    base, verify = results["empty FastAPI"], results["GET /v1/verify"]
    ratio = verify["rps"] / base["rps"]
    echo(f"\nverify benchmark: {items:,} serials in the graph, {concurrency} connections, {seconds:.0f} s each, "
         f"uvicorn 1 worker, load from a second process on loopback")
    echo(f"{'endpoint':<18}{'requests':>10}{'errors':>8}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}")
    for name, r in results.items():
        echo(f"{name:<18}{r['requests']:>10}{r['errors']:>8}{r['rps']:>10.0f}{r['p50_ms']:>9.2f}{r['p99_ms']:>9.2f}")
    echo(f"ratio verify/empty req/s: {ratio:.2f} (target >= 0.5); verify p99 {verify['p99_ms']:.1f} ms "
         f"(target < 20 ms at 1M serials)")
    return {"serials": items, "ratio": ratio, **{k: v for k, v in results.items()}}


def cli(serials: int = typer.Option(int(os.environ.get("TRACEGRAPH_BENCH_SERIALS", "1000000")), min=1,
                                    help="Generated serials to load first (if not already loaded)."),
        seconds: float = typer.Option(10.0, min=1, help="Load duration per endpoint."),
        concurrency: int = typer.Option(4, min=1, max=512, help="Concurrent connections (the load process shares "
                                                                "the machine: on 2 cores more only queue)."),
        reset: bool = typer.Option(False, "--reset", help="Allowed to EMPTY the configured database and load "
                                                          "generated data when it holds fewer serials.")) -> None:
    """GET /v1/verify requests/s and p99 vs an empty FastAPI endpoint, served the same way."""
    from core.settings import get_settings
    with Database(get_settings()) as db:
        run(db, serials, seconds, concurrency, echo=typer.echo, reset=reset)
