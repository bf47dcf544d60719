import sys
from datetime import datetime
from pathlib import Path

import typer

from tracegraph.audit import service
from tracegraph.cli.users import opened

app = typer.Typer(help="The signed, hash-chained audit trail.", no_args_is_help=True)


@app.command("verify")
def verify() -> None:
    """Check the chain and every signature; name the first bad record (exit 1 if any)."""
    from tracegraph.cli.progress import progress
    with opened() as db, progress("verifying", unit="records") as update:
        report = service.verify(db, progress=lambda done, total: update(completed=done, total=total))
    if not report.ok:
        typer.echo(f"error: audit trail broken at record {report.first_bad} ({report.kind}): {report.detail}",
                   err=True)
        raise typer.Exit(1)
    typer.echo(f"ok: {report.detail}")


@app.command("list")
def list_records(subject: str = typer.Option(None), actor: str = typer.Option(None),
                 action: str = typer.Option(None),
                 start: datetime = typer.Option(None, "--from", help="Inclusive, ISO 8601 (UTC if no zone)."),
                 end: datetime = typer.Option(None, "--to", help="Exclusive."),
                 limit: int = typer.Option(100, min=1, max=100_000)) -> None:
    with opened() as db:
        for r in service.list_records(db, subject=subject, actor=actor, action=action, start=start, end=end,
                                      limit=limit):
            typer.echo(f"{r.seq}\t{r.time}\t{r.actor}\t{r.action}\t{r.subject}\t{r.reason or ''}")


@app.command("export")
def export(out: Path = typer.Argument(None, help="File for the JSON Lines (default: stdout).")) -> None:
    """Every record in chain order as JSON Lines, with hashes and signatures."""
    with opened() as db:
        lines = service.export(db)
        if out is None:
            sys.stdout.writelines(lines)
            return
        from tracegraph.cli.progress import progress
        with out.open("w") as fh, progress("exporting", unit="records") as update:
            for line in lines:
                fh.write(line)
                update(1)
    typer.echo(f"audit trail written to {out}; public key {service.public_key_hex()}", err=True)
