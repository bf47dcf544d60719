import time
from enum import Enum
from pathlib import Path

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from core.settings import get_settings
from graph import schema
from graph.db import Database
from tracegraph.capture import files as ingest


class Shape(str, Enum):  # loaders.generator.SHAPES
    standard = "standard"
    deep = "deep"


def _progress() -> Progress:
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[note]}"), TimeElapsedColumn())


def _summary(rows: list[tuple[str, str, int, int, str]]) -> None:
    """One line per file: what it added, or why it was refused."""
    from rich.console import Console
    from rich.table import Table
    table = Table("file", "status", "new events", "already stored", "error")
    for name, status, new, skipped, error in rows:
        table.add_row(name, status, str(new), str(skipped), error)
    Console(width=200).print(table)


def register(app: typer.Typer) -> None:
    @app.command()
    def load(paths: list[Path] = typer.Argument(..., help="EPCIS 2.0 files (JSON-LD or XML), or folders of them."),
             format: str = typer.Option("epcis", "--format", help="epcis, or csv (CSV/Excel with --mapping)."),
             mapping: Path | None = typer.Option(None, help="Mapping file (YAML) for --format csv."),
             policy: Path | None = typer.Option(None, help="Data-quality policy (YAML/TOML) for this load."),
             bulk: bool = typer.Option(False, "--bulk", help="First load into an EMPTY database through Neo4j's "
                                       "offline importer (restarts the local Neo4j); all files or nothing."),
             imported: bool = typer.Option(False, "--imported", help="With --bulk: the CSVs it made were imported "
                                           "by hand (Neo4j in Docker or remote); only finish the load.")
             ) -> None:
        """Ingest EPCIS documents. Each document is applied whole or not at all;
        re-loading the same events changes nothing."""
        if bulk:
            from tracegraph.cli.bulk import load_bulk
            return load_bulk(paths, format, policy, imported)
        if format != "epcis" or policy:
            from tracegraph.cli.csv_load import load_with_options
            return load_with_options(paths, format, mapping, policy, load)
        files = ingest.expand(paths)
        if not files:
            typer.echo("error: no EPCIS files (.json, .jsonld, .xml) found", err=True)
            raise typer.Exit(1)
        with Database(get_settings()) as db:
            schema.migrate(db)
            started = time.perf_counter()
            new = skipped = 0
            rows: list[tuple[str, str, int, int, str]] = []  # file, status, new, skipped, error
            with _progress() as bar:
                task = bar.add_task("loading", total=len(files), note="")

                def done(result) -> None:
                    nonlocal new, skipped
                    new += result.events_new
                    skipped += result.events_skipped
                    rows.append((files[len(rows)].name, "loaded", result.events_new, result.events_skipped, ""))
                    rate = new / max(time.perf_counter() - started, 1e-9)
                    bar.update(task, advance=1, note=f"{new} new events, {rate:,.0f}/s")

                def failed(path: Path, exc: Exception) -> None:
                    rows.append((path.name, "REFUSED", 0, 0, str(exc)))
                    bar.update(task, advance=1)

                # one file: its error is the one line; several: go on, then a per-file summary
                ingest.load_files(db, files, on_result=done, on_error=failed if len(files) > 1 else None)
        elapsed = time.perf_counter() - started
        bad = [r for r in rows if r[1] != "loaded"]
        if len(files) > 1 or bad:
            _summary(rows)
        typer.echo(f"loaded {len(files) - len(bad)} of {len(files)} document(s): {new} new events, "
                   f"{skipped} already stored ({elapsed:.1f} s, {new / max(elapsed, 1e-9):,.0f} events/s)")
        if bad:
            typer.echo(f"error: {len(bad)} document(s) refused, nothing of them written (see above)", err=True)
            raise typer.Exit(1)

    @app.command()
    def generate(serials: int = typer.Option(10_000, min=1, help="Finished serialized devices to make."),
                 seed: int = typer.Option(1, help="Random seed: same seed, same files."),
                 out: Path = typer.Option(..., help="Folder for the EPCIS files."),
                 events_per_file: int = typer.Option(5000, min=1, help="Events per document."),
                 shape: Shape = typer.Option(Shape.standard,
                                             help="standard: genealogy up to 3 transformations, device → case → "
                                                  "pallet. deep: genealogy up to 6 (processed materials, modules, "
                                                  "core assemblies), device → inner pack → case → pallet.")
                 ) -> None:
        """Write a deterministic, realistic synthetic EPCIS 2.0 data set."""
        from loaders.generator import generate as run_generator

        out.mkdir(parents=True, exist_ok=True)
        with _progress() as bar:
            task = bar.add_task("generating", total=serials, note="")
            stats = run_generator(out, serials=serials, seed=seed, events_per_file=events_per_file,
                                  progress=lambda n: bar.update(task, advance=n), shape=shape.value)
        typer.echo(f"wrote {stats.events} events for {stats.serials} serials in {stats.files} file(s) to {out}")

    @app.command()
    def examples(base_url: str = typer.Option("http://localhost:8000", help="Where the API is served."),
                 demo_key: bool = typer.Option(False, "--demo-key",
                                               help="Issue a 30-day API key for the local admin user `demo` "
                                                    "(created if missing) and use it in the examples.")) -> None:
        """Print example calls using identifiers from the loaded data."""
        from tracegraph.cli.demo import cli_name

        with Database(get_settings()) as db:
            print_examples(db, base_url, demo_key=demo_key, tg=cli_name())


def print_examples(db: Database, base_url: str, demo_key: bool, tg: str) -> None:
    """Example calls with identifiers from the data, written to run as printed."""
    from urllib.parse import quote

    from core.identifiers import to_digital_link

    rows = db.read("reports/examples")
    if not rows or not rows[0]["serial"]:
        typer.echo(f"no data loaded yet: run `{tg} load DIR` first", err=True)
        raise typer.Exit(1)
    key = _demo_key(db) if demo_key else "$TRACEGRAPH_API_KEY"
    lot, serial = rows[0]["lot"] or rows[0]["serial"], rows[0]["serial"]
    auth = f"-H 'X-API-Key: {key}'"
    typer.echo(f"API docs: {base_url}/docs   readiness: {base_url}/readyz")
    if demo_key:
        typer.echo(f"API key for user demo (admin, shown once, expires in 30 days): {key}")
        typer.echo(f"E-signatures (hold release, alert closure) need the signer's password; give demo one with "
                   f"`{tg} users set-password demo` and send it as signature.password.")
    typer.echo("Try:")
    typer.echo(f"  curl {auth} '{base_url}/v1/trace/forward?id={quote(lot, safe='')}'")
    typer.echo(f"  curl {auth} '{base_url}/v1/serials/{quote(to_digital_link(serial), safe='')}/timeline'")
    typer.echo(f"  curl {auth} '{base_url}/v1/trace/backward?id={quote(serial, safe='')}'")
    typer.echo(f"  {tg} trace forward '{lot}' --json")
    typer.echo(f"  {tg} scope --lot '{lot}'")


def _demo_key(db: Database) -> str:
    """A fresh key for the local `demo` admin, so the printed examples work as they are."""
    from core.errors import TracegraphError
    from tracegraph.security import service
    from tracegraph.security.models import NewKey, NewUser

    try:
        service.get_user(db, "demo")
    except TracegraphError:
        service.create_user(db, NewUser(name="demo", roles=["admin"]), actor="cli:make-demo")
    return service.issue_key(db, "demo", NewKey(label="make demo", expires_in_days=30), actor="cli:make-demo").key
