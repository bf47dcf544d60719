"""`tracegraph master load FILE` (YAML of any kinds, or a CSV of one `--kind`)."""
from __future__ import annotations

from pathlib import Path

import typer

from core.settings import get_settings
from graph import schema
from graph.db import Database
from tracegraph.master import service

app = typer.Typer(help="Versioned master data: products, parties, sites, trading relationships.",
                  no_args_is_help=True)


@app.command("load")
def load(path: Path = typer.Argument(..., help="YAML (products/parties/sites/relationships) or CSV file."),
         kind: str | None = typer.Option(None, help="For CSV: products, parties, sites or relationships.")) -> None:
    """Apply a master data file in one transaction; unchanged records add no version."""
    from tracegraph.cli.progress import progress
    with progress(f"reading {path.name}", unit="records") as update:
        batches = service.read_file(path, kind)
        update(description="writing (one transaction)", total=sum(len(v) for v in batches.values()))
        with Database(get_settings()) as db:
            schema.migrate(db)
            result = service.put(db, batches, actor="cli", source=str(path))
        update(completed=sum(len(v) for v in batches.values()), description="written")
    typer.echo(f"{path}: {result.changed} record(s) changed, {result.unchanged} unchanged")
