import typer

from core.settings import get_settings
from graph import schema
from graph.db import Database

app = typer.Typer(help="Database schema and data.", no_args_is_help=True)


@app.command()
def migrate() -> None:
    """Apply constraints and indexes, then the numbered migrations not yet applied (idempotent)."""
    with Database(get_settings()) as db:
        count = schema.migrate(db)
        done = schema.applied(db)
    typer.echo(f"schema applied ({count} statements); database at migration {done[-1]['version']} "
               f"({done[-1]['name']}), {len(done)} recorded")


@app.command()
def reset(yes: bool = typer.Option(False, "--yes", help="Confirm: delete ALL data (the schema stays).")) -> None:
    """Delete all data, keep the schema."""
    if not yes:
        typer.echo("error: this deletes all data; pass --yes to confirm", err=True)
        raise typer.Exit(2)
    from graph import importer, launcher
    from tracegraph.audit import service as audit
    settings = get_settings()
    by_import = launcher.is_local(settings) and launcher.can_import_in_place(settings)
    if by_import:
        try:
            importer.empty_local(settings, echo=typer.echo)  # seconds; a Cypher delete of 1M serials takes minutes
        except importer.ImportFailed as exc:
            if not exc.emptied:  # its message says what the store holds now
                typer.echo(f"error: emptying the store by an import failed: {exc}", err=True)
                raise typer.Exit(1) from exc
            # else the launcher put an empty store in its place: what the reset wanted
    with Database(settings) as db:
        if not by_import:  # the import left nothing to delete
            schema.reset(db)
        schema.migrate(db)  # the schema back after the import; the migrations recorded again either way
    retired = audit.retire_checkpoints()  # a deliberate reset, not a wiped trail: the next chain starts anew
    typer.echo("all data deleted; schema kept" + (f"; audit checkpoints moved to {retired}" if retired else ""))


@app.command("refresh-state")
def refresh_state(everything: bool = typer.Option(False, "--all", help="Recompute every item, not only those "
                                                                        "without a stored state.")) -> None:
    """Store each item's current state (site, status, shipments) where it is missing: data
    loaded by an older version answers recall scopes from the events until this has run."""
    from rich.progress import Progress

    from tracegraph.recalls import state
    with Database(get_settings()) as db, Progress(transient=True) as bar:
        epcs = state.pending(db, everything)
        task = bar.add_task("refreshing item state", total=len(epcs))
        count = state.backfill(db, epcs, lambda n: bar.update(task, advance=n))
    typer.echo(f"stored the state of {count} items")
