"""`tracegraph load --bulk`: the CLI face of tracegraph/bulk/service.py."""
from pathlib import Path

import typer
from neo4j.exceptions import ServiceUnavailable

from core.errors import TracegraphError
from core.settings import get_settings
from graph.importer import ImportFailed
from graph.launcher import LauncherError
from loaders.epcis.document import LoadError
from tracegraph.bulk import service as bulk
from tracegraph.capture import files as ingest


def load_bulk(paths: list[Path], format: str, policy: Path | None, imported: bool = False) -> None:
    if format != "epcis":
        typer.echo("error: --bulk reads EPCIS files only (--format epcis)", err=True)
        raise typer.Exit(1)
    try:
        files = ingest.expand(paths)
    except LoadError as exc:
        typer.echo(f"error: {exc.source}: {exc.reason}", err=True)
        raise typer.Exit(1) from exc
    if not files:
        typer.echo("error: no EPCIS files (.json, .jsonld, .xml) found", err=True)
        raise typer.Exit(1)
    try:
        if policy:
            from tracegraph.quality import service as quality
            with quality.using(policy):
                result = bulk.bulk_load(get_settings(), files, echo=typer.echo, imported=imported)
        else:
            result = bulk.bulk_load(get_settings(), files, echo=typer.echo, imported=imported)
    except (TracegraphError, ImportFailed, LauncherError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    except ServiceUnavailable as exc:
        typer.echo(f"error: cannot reach Neo4j ({exc}); start it first (`tracegraph neo4j start`)", err=True)
        raise typer.Exit(1) from exc
    steps = ", ".join(f"{k} {v:.1f} s" for k, v in result.seconds.items() if k != "total")
    typer.echo(f"bulk-loaded {result.documents} document(s) from {result.files} file(s): {result.events} events, "
               f"state of {result.items_state} item(s), {result.alerts_opened} alert(s) opened "
               f"({result.seconds['total']:.1f} s: {steps})")
    # the store was replaced: a process connected before holds bookmarks of transactions it lacks
    typer.echo("restart any API or worker process that was running: the database was replaced under it")
