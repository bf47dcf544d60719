"""The `tracegraph` command line."""
from __future__ import annotations

import sys

import typer
from neo4j.exceptions import AuthError, ServiceUnavailable

from core.epcis.document import LoadError
from core.errors import TracegraphError
from graph.launcher import LauncherError

app = typer.Typer(
    help="tracegraph: traceability graph for medical devices (recall scope, genealogy, timelines).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)



def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version
        typer.echo(f"tracegraph {version('tracegraph')}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    """tracegraph: traceability graph for medical devices (recall scope, genealogy, timelines)."""
    from core.settings import get_settings
    from tracegraph.audit import service as audit
    if not audit.configured():  # the CLI's settings govern the audit trail (the key is made on first write)
        audit.configure(get_settings(), make_key=False)


from tracegraph.cli import bench, data, db, neo4j, scope, serve, trace  # noqa: E402  (registers commands)

app.add_typer(neo4j.app, name="neo4j")
app.add_typer(db.app, name="db")
app.add_typer(trace.app, name="trace")
app.add_typer(bench.app, name="bench")
from tracegraph.master import cli as master_cli  # noqa: E402  (issue 3: master data)

app.add_typer(master_cli.app, name="master")
from tracegraph.cli import audit, backup, keys, users  # noqa: E402  (issue #6: trust)

app.add_typer(users.app, name="users")
app.add_typer(keys.app, name="keys")
app.add_typer(audit.app, name="audit")
app.add_typer(backup.app, name="backup")
from tracegraph.cli import rules  # noqa: E402  (issue 5: rules, alerts, holds)

app.add_typer(rules.app, name="rules")
from tracegraph.cli import investigations  # noqa: E402  (issue 14: investigations and CAPA)

app.add_typer(investigations.app, name="investigation")
app.add_typer(investigations.capa_app, name="capa")
from tracegraph.cli import recall  # noqa: E402  (issue 14: recall campaigns)

app.add_typer(recall.app, name="recall")
data.register(app)
serve.register(app)
scope.register(app)
from tracegraph.cli import demo  # noqa: E402  (issue 18: first run)

demo.register(app)
from tracegraph.cli import worker  # noqa: E402  (issue 18: durable jobs)

worker.register(app)


def main() -> None:
    """Entry point: domain errors become one line on stderr and exit code 1."""
    try:
        app()
    except (TracegraphError, LoadError, LauncherError) as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except AuthError as exc:
        typer.echo(f"error: Neo4j refused the credentials (TRACEGRAPH_NEO4J_USER/PASSWORD): {exc.message}", err=True)
        sys.exit(1)
    except ServiceUnavailable:
        typer.echo("error: cannot reach Neo4j at the configured URI; start it with `tracegraph neo4j start` "
                   "or set TRACEGRAPH_NEO4J_URI", err=True)
        sys.exit(1)
