"""`tracegraph demo` (what `make demo` runs): start Neo4j, load the demo data, print calls that
run as printed, serve; say what still runs afterwards. A second run finds the first and says so."""
from __future__ import annotations

import os
import shutil
import socket
import sys
from pathlib import Path

import httpx
import typer

from core.settings import get_settings
from graph import launcher


def cli_name() -> str:
    """How to call this CLI from the current folder: `tracegraph` when PATH finds this very
    program, else its path (e.g. `.venv/bin/tracegraph`)."""
    me = Path(sys.argv[0])
    found = shutil.which("tracegraph")
    if found and me.name == "tracegraph" and Path(found).resolve() == me.resolve():
        return "tracegraph"
    if me.name != "tracegraph":  # run as `python -m` or from a test runner
        me = Path(sys.executable).parent / "tracegraph"
    try:
        return os.path.relpath(me)
    except ValueError:
        return str(me)


def port_busy(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1.0)
        return s.connect_ex(("127.0.0.1" if host in ("0.0.0.0", "") else host, port)) == 0


def running_tracegraph(host: str, port: int) -> bool:
    """Whether a tracegraph API answers there (its /healthz), not just anything on the port."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    try:
        reply = httpx.get(f"http://{shown}:{port}/healthz", timeout=3.0)
        return reply.status_code == 200 and reply.json().get("status") == "ok"
    except (httpx.HTTPError, ValueError):
        return False


def register(app: typer.Typer) -> None:
    @app.command()
    def demo(data: Path = typer.Option(..., help="Folder of demo EPCIS files (`tracegraph generate`)."),
             host: str = typer.Option("0.0.0.0", help="Interface to listen on."),
             port: int = typer.Option(8000, help="API port.")) -> None:
        """Start Neo4j, load the demo data, print example calls, and serve the API."""
        from graph import schema
        from graph.db import Database
        from tracegraph.capture import files as ingest
        from tracegraph.cli.data import print_examples

        tg = cli_name()
        base = f"http://localhost:{port}"
        if port_busy(host, port):
            if running_tracegraph(host, port):
                typer.echo(f"the demo is already running: API at {base} (docs {base}/docs).\n"
                           f"Stop it with Ctrl-C in its terminal; `{tg} examples` prints example calls "
                           "(with `--demo-key` for a fresh key).")
                return
            typer.echo(f"error: port {port} is busy with something other than tracegraph; "
                       "free it or run `make demo DEMO_PORT=<free port>`", err=True)
            raise typer.Exit(1)
        settings = get_settings()
        launcher.start(settings, echo=typer.echo)
        with Database(settings) as db:
            schema.migrate(db)
            results = ingest.load_files(db, ingest.expand([data]))
            typer.echo(f"demo data: {sum(r.events_new for r in results)} new events "
                       f"({sum(r.events_skipped for r in results)} already stored)")
        from tracegraph.cli.recall import demo_seed
        demo_seed(least=5)  # one recall campaign in progress (issue 14); says so if it exists already
        with Database(settings) as db:
            print_examples(db, base, demo_key=True, tg=tg)
        import uvicorn

        from tracegraph.logs import configure
        configure(settings.model_copy(update={"log_format": "text"}))  # a person reads the demo's log
        try:
            uvicorn.run("api.main:app", host=host, port=port, log_config=None, access_log=False)
        finally:
            status = launcher.status(settings)
            if status.running:
                typer.echo(f"\nThe API stopped. Neo4j is still running (pid {status.pid}) at {status.uri}, "
                           f"data in {status.home}.\nStop it with `{tg} neo4j stop` (or `make stop`); "
                           "`make demo` again starts the API on the same data.")
