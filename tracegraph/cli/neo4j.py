import typer

from core.settings import get_settings
from graph import launcher

app = typer.Typer(help="Run a local Neo4j 5.26 Community (fetched from Maven Central on first start).",
                  no_args_is_help=True)


@app.command()
def start() -> None:
    """Start Neo4j (idempotent); waits until Bolt answers and prints the URI."""
    launcher.start(get_settings(), echo=typer.echo)


@app.command()
def stop() -> None:
    """Stop Neo4j cleanly."""
    launcher.stop(get_settings(), echo=typer.echo)


@app.command()
def status() -> None:
    """Say whether Neo4j runs; exit 1 when it does not."""
    st = launcher.status(get_settings())
    if st.running:
        typer.echo(f"running (pid {st.pid}) at {st.uri}, data in {st.home}")
    else:
        typer.echo(f"not running (data folder {st.home})")
        raise typer.Exit(1)
