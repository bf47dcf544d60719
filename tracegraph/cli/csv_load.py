"""`tracegraph load --format csv --mapping MAPPING.yaml FILE` (and `--policy` for any load)."""
from __future__ import annotations

from pathlib import Path

import typer

from core.settings import get_settings
from graph import schema
from graph.db import Database


def load_with_options(paths: list[Path], format: str, mapping: Path | None, policy: Path | None, load) -> None:
    from tracegraph.quality import service as quality

    if format not in ("epcis", "csv"):
        raise typer.BadParameter(f"unknown format {format!r}; use epcis or csv", param_hint="--format")
    with quality.using(policy) if policy else _nothing():
        if format == "epcis":
            return load(paths, "epcis", None, None)
        if mapping is None:
            raise typer.BadParameter("--format csv needs --mapping MAPPING.yaml", param_hint="--mapping")
        from tracegraph.capture.csv import load_file
        from tracegraph.cli.progress import progress
        with Database(get_settings()) as db, progress("loading CSV", total=len(paths), unit="files") as update:
            schema.migrate(db)
            for path in paths:
                update(note=path.name)
                result = load_file(db, path, mapping, actor="cli")
                update(1)
                findings = len(result.notes.get("quality_findings") or [])
                typer.echo(f"loaded {path}: {result.events_new} new events, {result.events_skipped} already stored"
                           + (", nothing new" if result.noop else "")
                           + (f", {findings} finding(s)" if findings else ""))


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False
