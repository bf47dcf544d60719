"""`tracegraph bench load`: a bounded load test with locust against several API processes.

It loads a small generated data set (unless one of that size is there), issues an admin and a
partner key, starts `api_processes` uvicorn processes (one worker each, on their own ports,
with no in-process job worker) and `workers` `tracegraph worker` processes, then runs locust
headless for a fixed time with a fixed number of users spread over the API processes. The
mix (tracegraph/bench/locustfile.py): verify (partner key), timeline, trace, recall scope and
EPCIS capture of small documents of new serials. After the run it waits (bounded) for the
workers to write every accepted capture. It prints requests/s, p50 and p99 per operation and
the failures; any 5xx, transport error or failed capture job fails the run.

Partner rate limits are lifted for the run: it measures what the processes serve, not the limiter.
"""
from __future__ import annotations

import csv
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx
import typer

from core.errors import TracegraphError
from graph.db import Database
from tracegraph.audit import service as audit
from tracegraph.bench.verify import _free_port, prepare
from tracegraph.jobs import service as jobs
from tracegraph.security import service as security
from tracegraph.security.models import NewKey, NewUser

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
OPERATIONS = ("verify", "timeline", "trace", "recall scope", "capture")


class LoadFailed(TracegraphError):
    status = 500
    slug = "load-test-failed"
    title = "Load test failed"


def locust_installed() -> bool:
    """Whether locust can run, without importing it (its gevent monkey-patches this process)."""
    return importlib.util.find_spec("locust") is not None


def _inputs(db: Database) -> dict:
    """Identifiers the users ask about, from the loaded data."""
    sample = db.read("verify/sample", skip=0, limit=5000)
    if not sample:
        raise LoadFailed("the database holds no serials with a manufacturer: nothing to load-test")
    party = Counter(r["party"] for r in sample).most_common(1)[0][0]  # the partner: a maker of many
    ours = [r["epc"] for r in sample if r["party"] == party]
    sites = [r["site"] for r in db.read("bench/load_sites", party=party, limit=20)]
    if not sites:
        raise LoadFailed(f"no site of {party} commissioned serials: nowhere to capture new ones")
    # Captures commission new serials of the partner's products at its sites: they are its own,
    # so the verify calls of a later run on the same data find them too.
    return {"serials": [r["epc"] for r in sample], "partner_serials": ours, "party": party,
            "item_classes": sorted({epc.rsplit(".", 1)[0] for epc in ours}), "sites": sites,
            "lots": [r["lot"] for r in db.read("bench/load_lots", limit=50)]}


def _keys(db: Database, party: str) -> tuple[str, str]:
    tag = f"{os.getpid()}-{int(time.time())}"
    made = []
    for name, roles, of in ((f"load-admin-{tag}", ["admin"], None), (f"load-partner-{tag}", ["partner"], party)):
        security.create_user(db, NewUser(name=name, roles=roles, party=of), actor="bench")
        made.append(security.issue_key(db, name, NewKey(label="bench load", expires_in_days=1), actor="bench").key)
    return made[0], made[1]


def _env(db: Database) -> dict:
    s = db.settings
    return dict(os.environ, TRACEGRAPH_NEO4J_URI=s.neo4j_uri, TRACEGRAPH_NEO4J_USER=s.neo4j_user,
                TRACEGRAPH_NEO4J_PASSWORD=s.neo4j_password, TRACEGRAPH_NEO4J_DATABASE=s.neo4j_database,
                TRACEGRAPH_AUDIT_KEY_PATH=str(audit.config().key_path),  # one signer for the chain
                TRACEGRAPH_INPROCESS_WORKER="false", TRACEGRAPH_JOB_POLL_SECONDS="0.2",
                TRACEGRAPH_PARTNER_RATE_PER_MINUTE=str(10 ** 9), TRACEGRAPH_PARTNER_RATE_BURST=str(10 ** 9))


def _start(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=open(log, "wb"))


def _wait_ready(base: str, proc: subprocess.Popen, log: Path, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            if httpx.get(base + "/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise LoadFailed(f"the API at {base} did not start: {log.read_text(errors='replace')[-2000:]}")


def _warm(spec: dict) -> float:
    """One call of each read per API process before the clock starts: a cold process (and a
    cold Neo4j plan cache) answers its first calls in seconds on a busy machine."""
    started = time.monotonic()
    admin = {"Authorization": f"Bearer {spec['admin_key']}"}
    for host in spec["hosts"]:
        with httpx.Client(base_url=host, timeout=300, headers=admin) as client:
            answers = [
                client.get("/v1/verify", params={"id": spec["partner_serials"][0]},
                           headers={"Authorization": f"Bearer {spec['partner_key']}"}),
                client.get(f"/v1/serials/{spec['serials'][0]}/timeline"),
                *(client.get("/v1/trace/forward", params={"id": lot}) for lot in spec["lots"][:3]),
                *(client.post("/v1/recall-scope", json={"starts": [{"kind": "lot", "id": lot}]})
                  for lot in spec["lots"][:3]),
            ]
        refused = [f"{r.request.method} {r.request.url.path}: {r.status_code}" for r in answers if r.status_code != 200]
        if refused:
            raise LoadFailed(f"warming {host} up failed: {refused}")
    return time.monotonic() - started


def _captures(db: Database) -> Counter:
    return Counter({r["status"]: r["n"] for r in jobs.depth(db) if r["kind"] == "capture"})


def _drain(db: Database, before: Counter, seconds: float) -> tuple[Counter, float]:
    """Wait until no capture job is queued or running (or `seconds` pass): (new jobs by status, wait)."""
    started = time.monotonic()
    while True:
        now = _captures(db)
        if not now["queued"] and not now["running"] or time.monotonic() - started > seconds:
            return Counter({k: now[k] - before[k] for k in now}), time.monotonic() - started
        time.sleep(0.5)


def _ms(text: str) -> float:
    return float(text) if text not in ("", "N/A") else 0.0


def _stats(prefix: Path) -> dict[str, dict]:
    """locust's per-operation statistics (its `_stats.csv`), keyed by name."""
    rows = {}
    with open(f"{prefix}_stats.csv", newline="") as f:
        for row in csv.DictReader(f):
            rows[row["Name"]] = {"requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                                 "rps": float(row["Requests/s"]), "p50_ms": _ms(row["50%"]),
                                 "p99_ms": _ms(row["99%"])}
    return rows


def run(db: Database, serials: int = 2000, users: int = 8, seconds: float = 60, api_processes: int = 2,
        workers: int = 1, echo=print, reset: bool = True, drain_seconds: float = 300) -> dict:
    prepare(db, serials, reset=reset)
    inputs = _inputs(db)
    admin_key, partner_key = _keys(db, inputs["party"])
    env = _env(db)
    procs: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory(prefix="tracegraph-load-") as tmp:
        out = Path(tmp)
        try:
            hosts = []
            for n in range(api_processes):
                port = _free_port()
                log = out / f"api-{n}.log"
                procs.append(_start([sys.executable, "-m", "uvicorn", "api.main:app", "--host", "127.0.0.1",
                                     "--port", str(port), "--workers", "1", "--log-level", "warning",
                                     "--no-access-log"], env, log))
                hosts.append((f"http://127.0.0.1:{port}", procs[-1], log))
            for n in range(workers):
                procs.append(_start([sys.executable, "-c", "from tracegraph.cli import main; main()", "worker",
                                     "--name", f"load-w{n}"], env, out / f"worker-{n}.log"))
            for base, proc, log in hosts:
                _wait_ready(base, proc, log)
            spec = {**inputs, "hosts": [h[0] for h in hosts], "admin_key": admin_key, "partner_key": partner_key,
                    "status_file": str(out / "status.json")}
            (out / "spec.json").write_text(json.dumps(spec))
            echo(f"warmed up in {_warm(spec):.1f} s; load for {seconds:.0f} s with {users} users...")
            before = _captures(db)
            locust = subprocess.run(
                [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--users", str(users),
                 "--spawn-rate", str(users), "--run-time", f"{int(seconds)}s", "--stop-timeout", "30",
                 "--csv", str(out / "load"), "--only-summary", "--loglevel", "WARNING"],
                env={**env, "TRACEGRAPH_LOAD_SPEC": str(out / "spec.json")}, capture_output=True, text=True,
                timeout=seconds + 300, check=False)  # locust exits 1 on any failure: judged below
            if not (out / "load_stats.csv").exists():
                raise LoadFailed(f"locust did not run: {locust.stderr[-3000:]}")
            stats = _stats(out / "load")
            status_file = out / "status.json"  # written by the locustfile as locust quits
            statuses = json.loads(status_file.read_text()) if status_file.exists() else {}
            captured, drained = _drain(db, before, drain_seconds)
            failures = (out / "load_failures.csv").read_text() if (out / "load_failures.csv").exists() else ""
            if any(code.startswith("5") for by in statuses.values() for code in by):  # say why before the logs go
                for log in sorted(out.glob("*.log")):
                    echo(f"--- {log.name} (end) ---\n{log.read_text(errors='replace')[-3000:]}")
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                try:
                    proc.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    proc.kill()
    server_errors = {op: n for op, by in statuses.items() for code, n in by.items() if code.startswith("5")}
    transport = {op: n for op, by in statuses.items() for code, n in by.items() if code == "0"}
    result = {"stats": stats, "statuses": statuses, "captures": dict(captured), "drain_seconds": drained,
              "server_errors": server_errors, "transport_errors": transport,
              "items": db.read("verify/items")[0]["items"]}
    _report(result, users, seconds, api_processes, workers, echo)
    if failures.count("\n") > 1:
        echo("failures (locust):\n" + failures)
    if not statuses:
        echo(locust.stderr[-3000:])
    problems = [] if statuses else ["locust left no answer counts (see its output above)"]
    if server_errors or transport:
        problems.append(f"5xx answers {server_errors}, transport errors {transport}")
    if captured["failed"] or captured["dead"] or captured["queued"] or captured["running"]:
        problems.append(f"capture jobs not all written: {dict(captured)}")
    if problems:
        raise LoadFailed("; ".join(problems))
    return result


def _report(result: dict, users: int, seconds: float, api_processes: int, workers: int, echo) -> None:
    echo(f"\nload test: {result['items']:,} serialized items in the graph, {users} locust users (no think time), "
         f"{seconds:.0f} s, {api_processes} API processes, {workers} job worker(s); client, servers and Neo4j "
         "on this machine")
    echo(f"{'operation':<14}{'requests':>10}{'failed':>8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}  statuses")
    for name in (*OPERATIONS, "Aggregated"):
        r = result["stats"].get(name)
        if r is None:
            continue
        codes = ", ".join(f"{c}: {n}" for c, n in sorted(result["statuses"].get(name, {}).items()))
        echo(f"{name:<14}{r['requests']:>10}{r['failures']:>8}{r['rps']:>9.1f}{r['p50_ms']:>9.0f}{r['p99_ms']:>9.0f}"
             f"  {codes}")
    caps = result["captures"]
    echo(f"capture jobs: {caps.get('succeeded', 0)} written, {caps.get('failed', 0)} failed, "
         f"{caps.get('dead', 0)} dead, {caps.get('queued', 0) + caps.get('running', 0)} left; the queue drained "
         f"{result['drain_seconds']:.1f} s after the load stopped")


def cli(serials: int = typer.Option(2000, min=100, help="Generated serials to load first (if not already loaded)."),
        users: int = typer.Option(8, min=1, max=256, help="Concurrent locust users (closed loop, no think time)."),
        seconds: float = typer.Option(60, min=5, max=3600, help="How long the load runs."),
        api_processes: int = typer.Option(2, min=1, max=16, help="API processes (uvicorn, one worker each)."),
        workers: int = typer.Option(1, min=1, max=16, help="`tracegraph worker` processes writing captures."),
        reset: bool = typer.Option(False, "--reset", help="Allowed to EMPTY the configured database and load "
                                                          "generated data when it holds fewer serials.")) -> None:
    """Throughput and p50/p99 per operation of a capture/verify/scope/timeline/trace mix (locust)."""
    from core.settings import get_settings
    if not locust_installed():
        typer.echo("locust is not installed: pip install -e '.[bench]' (make bench does)", err=True)
        raise typer.Exit(2)
    with Database(get_settings()) as db:
        try:
            run(db, serials, users, seconds, api_processes, workers, echo=typer.echo, reset=reset)
        except TracegraphError as exc:
            typer.echo(f"load test failed: {exc}", err=True)
            raise typer.Exit(1) from exc
