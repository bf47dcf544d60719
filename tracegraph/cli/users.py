import getpass

import typer
from pydantic import ValidationError

from core.errors import TracegraphError
from core.settings import get_settings
from graph import schema
from graph.db import Database
from tracegraph.security import roles as role_table
from tracegraph.security import service
from tracegraph.security.enums import Role
from tracegraph.security.models import NewUser

app = typer.Typer(help="Users and their roles (API keys: `tracegraph keys`).", no_args_is_help=True)


def actor() -> str:
    return f"cli:{getpass.getuser()}"


def opened() -> Database:
    db = Database(get_settings())
    schema.migrate(db)
    return db


def invalid(exc: ValidationError) -> TracegraphError:
    first = exc.errors()[0]
    return TracegraphError(f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}")


@app.command("create")
def create(name: str = typer.Argument(..., help="Login name."),
           role: list[Role] = typer.Option(..., "--role", help="Role (repeat for several)."),
           party: str = typer.Option(None, help="PGLN URN of a partner's party."),
           display_name: str = typer.Option(None, help="Name printed on e-signatures."),
           password: bool = typer.Option(False, "--password",
                                         help="Prompt for a password (needed to e-sign).")) -> None:
    """Create a user."""
    secret = typer.prompt("password", hide_input=True, confirmation_prompt=True) if password else None
    try:
        new = NewUser(name=name, roles=role, party=party, display_name=display_name, password=secret)
    except ValidationError as exc:
        raise invalid(exc) from None
    with opened() as db:
        user = service.create_user(db, new, actor())
    typer.echo(f"created user {user.name} ({', '.join(user.roles)})")


@app.command("list")
def list_users() -> None:
    """Users, roles, party and key count."""
    with opened() as db:
        for u in service.list_users(db):
            state = "disabled" if u.disabled else "active"
            typer.echo(f"{u.name}\t{','.join(u.roles)}\t{u.party or '-'}\t{state}\t{u.keys} key(s)")


@app.command("set-roles")
def set_roles(name: str, role: list[Role] = typer.Option(..., "--role", help="Role (repeat for several).")) -> None:
    """Replace a user's roles."""
    with opened() as db:
        user = service.update_user(db, name, actor(), roles=role)
    typer.echo(f"{user.name}: {', '.join(user.roles)}")


@app.command("disable")
def disable(name: str) -> None:
    """Disable a user: every key and token of theirs stops working."""
    with opened() as db:
        service.update_user(db, name, actor(), disabled=True)
    typer.echo(f"{name} disabled")


@app.command("enable")
def enable(name: str) -> None:
    with opened() as db:
        service.update_user(db, name, actor(), disabled=False)
    typer.echo(f"{name} enabled")


@app.command("set-password")
def set_password(name: str) -> None:
    """Set the password a user re-enters for electronic signatures."""
    secret = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    with opened() as db:
        service.update_user(db, name, actor(), password=secret)
    typer.echo(f"password of {name} set")


@app.command("roles")
def roles() -> None:
    """Print the role → permission table (as in docs/security.md)."""
    typer.echo(role_table.markdown_table())
