"""`tracegraph investigation ...` and `tracegraph capa ...`: the quality records from the shell.
Writes are recorded (and audited) with the actor `cli`; CAPA closure needs an e-signature, so
it is done through the API."""
import json
import mimetypes
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from core.errors import TracegraphError
from core.settings import get_settings
from graph.db import Database
from tracegraph.capa import service as capas
from tracegraph.investigations import service
from tracegraph.investigations.models import OpenRequest, RootCauseRequest, TransitionRequest

app = typer.Typer(help="Investigations: open, move, add evidence, show the timeline.", no_args_is_help=True)
capa_app = typer.Typer(help="CAPAs: list (overdue) and show.", no_args_is_help=True)
ACTOR = "cli"


def _invalid(exc: ValidationError) -> TracegraphError:
    first = exc.errors()[0]
    return TracegraphError(f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}")


def _print(model, as_json: bool, rows: list[tuple] | None = None, head: tuple = ()) -> None:
    if as_json or rows is None:
        typer.echo(json.dumps(model.model_dump(mode="json", by_alias=True), indent=2, sort_keys=True))
        return
    table = Table(*head)
    for row in rows:
        table.add_row(*[str(c) if c is not None else "" for c in row])
    Console().print(table)


@app.command("open")
def open_(title: str = typer.Option(None, help="Required unless --alert is given."),
          alert: Annotated[list[str] | None, typer.Option("--alert", help="Alert id it is opened from.")] = None,
          serial: Annotated[list[str] | None, typer.Option("--serial", help="Serial, any accepted form.")] = None,
          lot: Annotated[list[str] | None, typer.Option("--lot", help="Lot subject.")] = None,
          site: Annotated[list[str] | None, typer.Option("--site", help="Site subject (SGLN).")] = None,
          supplier: Annotated[list[str] | None, typer.Option("--supplier", help="Supplier (PGLN).")] = None,
          owner: str = typer.Option(None, help="Owner (a user name); default `cli`."),
          team: str = typer.Option(None, help="Team."),
          as_json: bool = typer.Option(False, "--json", help="Print the investigation as JSON.")) -> None:
    """Open an investigation; prints its id (or all of it with --json)."""
    try:
        request = OpenRequest(title=title, alerts=alert or [], owner=owner, team=team, subjects={
            "serials": serial or [], "lots": lot or [], "sites": site or [], "suppliers": supplier or []})
    except ValidationError as exc:
        raise _invalid(exc) from exc
    with Database(get_settings()) as db:
        inv = service.open_investigation(db, request, principal=ACTOR)
    typer.echo(json.dumps(inv.model_dump(mode="json", by_alias=True), indent=2) if as_json else inv.id)


@app.command("list")
def list_(state: str = typer.Option(None, help="open | in_progress | root_cause_identified | closed"),
          as_json: bool = typer.Option(False, "--json")) -> None:
    """Investigations, newest first."""
    with Database(get_settings()) as db:
        page = service.list_investigations(db, state=state, limit=1000)
    _print(page, as_json, [(i.id, i.state.value, i.owner, i.team, i.title) for i in page.investigations],
           ("id", "state", "owner", "team", "title"))


@app.command()
def show(investigation: str, as_json: bool = typer.Option(True, "--json/--no-json")) -> None:
    """One investigation as JSON."""
    with Database(get_settings()) as db:
        _print(service.get(db, investigation), as_json)


@app.command()
def step(investigation: str, to: str = typer.Argument(..., help="in_progress | root_cause_identified | closed"),
         reason: str = typer.Option(..., help="Why (recorded with who and when)."),
         category: str = typer.Option(None, help="Root-cause category, with the step to root_cause_identified."),
         root_cause: str = typer.Option(None, "--root-cause", help="Root-cause text, with --category.")) -> None:
    """Move an investigation one step."""
    try:
        cause = RootCauseRequest(category=category, text=root_cause) if category or root_cause else None
        request = TransitionRequest(to=to, reason=reason, root_cause=cause)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    with Database(get_settings()) as db:
        inv = service.transition(db, investigation, request, principal=ACTOR)
    typer.echo(f"{inv.id}: {inv.state.value}")


@app.command()
def evidence(investigation: str, path: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
             content_type: str = typer.Option(None, "--type", help="Content type; guessed from the name."),
             note: str = typer.Option(None)) -> None:
    """Add a file as evidence; prints its SHA-256."""
    kind = content_type or mimetypes.guess_type(path.name)[0]
    with Database(get_settings()) as db:
        if path.stat().st_size > db.settings.evidence_max_bytes:
            raise TracegraphError(f"{path}: larger than the {db.settings.evidence_max_bytes} bytes accepted")
        found, created = service.add_file(db, investigation, path.read_bytes(), filename=path.name,
                                          content_type=kind, note=note, principal=ACTOR)
    typer.echo(f"{found.sha256} {'added' if created else 'already evidence'} ({found.id})")


@app.command()
def timeline(investigation: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """What happened to it, oldest first."""
    with Database(get_settings()) as db:
        t = service.timeline(db, investigation)
    _print(t, as_json, [(e.at.isoformat(), e.by, e.action, e.subject, e.summary, e.reason) for e in t.entries],
           ("at", "by", "action", "subject", "summary", "reason"))


@capa_app.command("list")
def capa_list(overdue: bool = typer.Option(None, "--overdue/--not-overdue", help="Only (not) overdue ones."),
              as_json: bool = typer.Option(False, "--json")) -> None:
    """CAPAs, newest first."""
    with Database(get_settings()) as db:
        page = capas.list_capas(db, overdue=overdue, limit=1000)
    _print(page, as_json, [(c.id, c.state.value, c.owner, c.due, "yes" if c.overdue else "", c.title)
                           for c in page.capas], ("id", "state", "owner", "due", "overdue", "title"))


@capa_app.command("show")
def capa_show(capa: str) -> None:
    """One CAPA as JSON."""
    with Database(get_settings()) as db:
        _print(capas.get(db, capa), True)
