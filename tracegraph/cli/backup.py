from pathlib import Path

import typer

from tracegraph.backup import service
from tracegraph.cli.users import actor, opened

app = typer.Typer(help="Consistent, compressed, checksummed snapshots of all data and the audit chain.",
                  no_args_is_help=True)


@app.command("create")
def create(file: Path = typer.Argument(..., help="Where to write the backup (gzip JSON Lines).")) -> None:
    """Snapshot every node and relationship while the service runs (writes wait meanwhile)."""
    from tracegraph.cli.progress import progress
    with opened() as db, progress("backing up", unit="nodes and relationships") as update:
        m = service.create(db, file, progress=lambda done: update(completed=done))
        update(completed=m.nodes + m.relationships)
    typer.echo(f"backup {file}: {m.nodes} nodes, {m.relationships} relationships, sha256 {m.sha256}; "
               f"audit chain head {m.audit_seq or 0}")
    if m.checkpoint:
        typer.echo(f"audit checkpoint written at record {m.checkpoint}")
    elif m.audit_seq:
        typer.echo("note: no new audit checkpoint for this backup: a later one covers it, or the trail does "
                   "not verify (`tracegraph audit verify` tells which)", err=True)


@app.command("restore")
def restore(file: Path = typer.Argument(..., help="A file made by `tracegraph backup create`.")) -> None:
    """Restore into an EMPTY database, then check counts, content fingerprint and the audit chain."""
    from tracegraph.cli.progress import progress
    with opened() as db, progress("restoring", unit="nodes and relationships") as update:
        report = service.restore(db, file, actor(), progress=lambda done, total: update(completed=done, total=total))
    typer.echo(f"restored {report.nodes} nodes, {report.relationships} relationships; "
               f"counts {'ok' if report.counts_ok else 'DIFFER'}, "
               f"content {'ok' if report.fingerprint_ok else 'DIFFERS'}, audit chain: {report.audit.detail}")
    if not report.ok:
        typer.echo("error: the restored database does not match the backup", err=True)
        raise typer.Exit(1)


@app.command("check")
def check(file: Path) -> None:
    """Check a backup file's checksum and trailer without restoring it."""
    m = service.check(file)
    typer.echo(f"ok: {m.nodes} nodes, {m.relationships} relationships, made {m.created}")
