import typer

from tracegraph.cli.users import actor, opened
from tracegraph.security import service
from tracegraph.security.models import NewKey

app = typer.Typer(help="API keys: shown once at creation, stored hashed, revocable, expiring.",
                  no_args_is_help=True)


@app.command("create")
def create(user: str = typer.Argument(..., help="The user the key acts as."),
           label: str = typer.Option(None, help="What the key is for."),
           days: int = typer.Option(90, min=0, max=3650, help="Days until it expires (0: never).")) -> None:
    """Issue a key and print its secret (only this once)."""
    with opened() as db:
        issued = service.issue_key(db, user, NewKey(label=label, expires_in_days=days or None), actor())
    typer.echo(f"key {issued.id} for {issued.user}, expires {issued.expires or 'never'}", err=True)
    typer.echo(issued.key)


@app.command("list")
def list_keys(user: str = typer.Option(None, help="Only this user's keys.")) -> None:
    with opened() as db:
        for k in service.list_keys(db, user):
            state = "revoked" if k.revoked else "active"
            typer.echo(f"{k.id}\t{k.user}\t{state}\texpires {k.expires or 'never'}\t{k.label or ''}")


@app.command("revoke")
def revoke(key_id: str) -> None:
    """Revoke a key (running servers stop accepting it within api_key_cache_seconds)."""
    with opened() as db:
        service.revoke_key(db, key_id, actor())
    typer.echo(f"key {key_id} revoked")
