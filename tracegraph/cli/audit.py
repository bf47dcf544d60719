import sys
from datetime import datetime
from pathlib import Path

import typer

from tracegraph.audit import service
from tracegraph.cli.users import opened

app = typer.Typer(help="The signed, hash-chained audit trail.", no_args_is_help=True)


@app.command("verify")
def verify(also: list[Path] = typer.Option([], "--checkpoints", exists=True, dir_okay=False,
                                           help="Another copy of checkpoints to check against "
                                                "(e.g. the witness's), besides the checkpoint directory."),
           checkpoint: bool = typer.Option(False, "--checkpoint", help="Write a checkpoint if the trail verifies.")
           ) -> None:
    """Check the chain from the pinned key, every signature and key rotation, and every
    checkpoint; name the first bad record (exit 1 if any)."""
    from tracegraph.cli.progress import progress
    with opened() as db, progress("verifying", unit="records") as update:
        report = service.verify(db, checkpoint_files=also,
                                progress=lambda done, total: update(completed=done, total=total))
        if report.ok and checkpoint:
            service.checkpoint(db, "verify")
    if not report.ok:
        where = f"record {report.first_bad}" if report.first_bad is not None else "the checkpoints"
        typer.echo(f"error: audit trail broken at {where} ({report.kind}): {report.detail}", err=True)
        raise typer.Exit(1)
    typer.echo(f"ok: {report.detail}; key {(report.key_id or '-')[:16]}")


@app.command("checkpoint")
def checkpoint(pin: bool = typer.Option(False, "--pin", help="If no key is pinned yet (a trail from before "
                                                              "checkpoints), pin the current key: trust on first use.")
               ) -> None:
    """Verify the trail, then write a signed checkpoint of its head to the checkpoint
    directory (and the witness URL). Run it from cron as often as you like."""
    with opened() as db:
        entry = service.checkpoint(db, "manual", pin=pin)
    cfg = service.config()
    if entry is None:
        typer.echo(f"ok: nothing new to checkpoint ({cfg.checkpoint_dir})")
    else:
        typer.echo(f"checkpoint: record {entry['seq']} hash {entry['hash'][:16]}… written to {cfg.checkpoint_dir}")


@app.command("rotate-key")
def rotate_key(reason: str = typer.Option(None, help="Why (stored in the rotation record).")) -> None:
    """Replace the audit signing key: a record signed by the outgoing key names the new one.
    A running API picks the new key up on its next write."""
    from tracegraph.cli.users import actor
    with opened() as db:
        rec = service.rotate_key(db, actor(), reason=reason)
    typer.echo(f"rotated: record {rec['seq']} hands over from key {rec['key_id'][:16]}… to "
               f"{rec['subject'].split(':', 1)[1][:16]}…; the new key is in {service.config().key_path}")


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
