import json

import typer
from rich.console import Console
from rich.table import Table

from core.settings import get_settings
from graph.db import Database
from tracegraph.alerts import webhooks
from tracegraph.rules import service

app = typer.Typer(help="Anomaly rules: list them, run a full sweep, send pending alert webhooks.",
                  no_args_is_help=True)


@app.command("list")
def list_rules() -> None:
    """Every rule with its state and parameters."""
    with Database(get_settings()) as db:
        view = service.view(db)
    table = Table("code", "severity", "enabled", "params", "title")
    for r in view.rules:
        table.add_row(r.code, r.severity.value, "yes" if r.enabled else "no", json.dumps(r.params), r.title)
    Console().print(table)


@app.command()
def run(rule: list[str] = typer.Option(None, "--rule", help="Only this rule code (repeatable)."),
        as_json: bool = typer.Option(False, "--json", help="Print the alerts as a JSON list."),
        dry_run: bool = typer.Option(False, "--dry-run", help="Report findings; record no alerts."),
        notify: bool = typer.Option(True, help="Send pending webhook notifications afterwards.")) -> None:
    """Full sweep over all data: record alerts (one open per rule and subject)."""
    from tracegraph.cli.progress import progress
    with Database(get_settings()) as db:
        with progress("sweeping", unit="rules") as update:
            result = service.sweep(db, rule or None, dry_run=dry_run, actor="cli",
                                   progress=lambda done, total, code: update(completed=done, total=total, note=code))
            update(completed=len(result.rules), note="recorded")
        sent = webhooks.deliver_pending(db) if notify and not dry_run else None
    if as_json:
        typer.echo(json.dumps([f.model_dump(mode="json") for f in result.findings], indent=2, sort_keys=True))
        return
    table = Table("rule", "findings", "seconds")
    for code, t in result.rules.items():
        table.add_row(code, str(int(t["findings"])), f"{t['seconds']:.2f}")
    Console().print(table)
    typer.echo(f"alerts: {result.opened} opened, {result.updated} updated, {result.cleared} cleared"
               + (f"; webhooks: {sent['delivered']} delivered, {sent['failed']} failed" if sent else ""))


@app.command()
def deliver() -> None:
    """Send pending alert webhooks (signed, retried with backoff, logged)."""
    with Database(get_settings()) as db:
        sent = webhooks.deliver_pending(db)
    typer.echo(f"webhooks: {sent['delivered']} delivered, {sent['failed']} failed")


@app.command()
def pending(answer: bool = typer.Option(False, "--run", help="Answer them now.")) -> None:
    """Incremental rule evaluations owed by loaded documents (left by an interrupted load)."""
    with Database(get_settings()) as db:
        owed = service.pending(db)
        if answer and owed:
            counts = service.run_pending(db)
            opened = sum(c.get("opened", 0) for c in counts.values())
            typer.echo(f"answered {owed} owed evaluation(s); alerts opened: {opened}")
            return
    typer.echo(f"owed incremental rule evaluations: {owed}")
