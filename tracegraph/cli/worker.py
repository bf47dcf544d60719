"""`tracegraph worker`: run durable jobs (capture, rule sweeps, webhooks, EPCIS subscription runs) until stopped."""
from __future__ import annotations

import signal

import typer

from core.settings import get_settings
from graph import schema
from graph.db import Database


def register(app: typer.Typer) -> None:
    @app.command()
    def worker(kind: list[str] = typer.Option(None, "--kind", help="Only these job kinds (repeatable)."),
               name: str = typer.Option(None, help="Worker name shown as the lease owner (default host:pid)."),
               once: bool = typer.Option(False, "--once", help="Run the jobs due now, then exit.")) -> None:
        """Take due jobs with a lease and run them; SIGTERM/Ctrl-C finishes the job in hand, then stops.
        Start any number, on any machines, against one database."""
        from tracegraph.jobs.worker import Worker
        from tracegraph.logs import configure
        settings = get_settings()
        if not once:  # a long-running process: JSON logs like the API's
            configure(settings)
        with Database(settings) as db:
            schema.migrate(db)
            w = Worker(db, name=name, kinds=kind or None)
            if once:
                while w.run_once():
                    pass
                typer.echo(f"worker {w.name}: {w.done} job(s) run")
                return
            signal.signal(signal.SIGTERM, lambda *_: w.stopping.set() or w.wake.set())
            typer.echo(f"worker {w.name} started (lease {settings.job_lease_seconds:.0f} s)", err=True)
            try:
                w.run_forever()
            except KeyboardInterrupt:
                pass
            typer.echo(f"worker {w.name} stopped after {w.done} job(s)", err=True)
