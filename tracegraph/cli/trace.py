import json

import typer
from rich.console import Console
from rich.table import Table

from core.settings import get_settings
from graph.db import Database
from tracegraph.identity import canonical_epc
from tracegraph.trace import service
from tracegraph.trace.models import TraceResult

app = typer.Typer(help="Trace an item, lot or container forward (recall scope) or backward (genealogy).",
                  no_args_is_help=True)

ID_HELP = "EPC URN (sgtin, sscc, lgtin class) or GS1 Digital Link URI"


def _run(identifier: str, direction: str, as_json: bool) -> None:
    with Database(get_settings()) as db:
        result = service.trace(db, canonical_epc(db, identifier), direction)
    if as_json:
        typer.echo(json.dumps(result.model_dump(mode="json"), indent=2, sort_keys=True))
    else:
        _show(result)


def _show(result: TraceResult) -> None:
    console = Console()
    console.print(f"[bold]{result.direction} trace[/] of {result.root}")
    table = Table("what", "count", "first few")
    for key in ("serials", "lots", "containers", "sites"):
        values = getattr(result, key)
        table.add_row(key, str(len(values)), ", ".join(values[:3]) + (" ..." if len(values) > 3 else ""))
    console.print(table)


@app.command()
def forward(identifier: str = typer.Argument(..., help=ID_HELP),
            as_json: bool = typer.Option(False, "--json", help="Print the full answer as JSON.")) -> None:
    """Everything made from it and every place it reached."""
    _run(identifier, "forward", as_json)


@app.command()
def backward(identifier: str = typer.Argument(..., help=ID_HELP),
             as_json: bool = typer.Option(False, "--json", help="Print the full answer as JSON.")) -> None:
    """Everything it was made from."""
    _run(identifier, "backward", as_json)
