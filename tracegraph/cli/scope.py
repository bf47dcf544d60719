"""`tracegraph scope`: the recall scope from the command line (same service as the API)."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from core.settings import get_settings
from graph.db import Database
from tracegraph.recalls.errors import InvalidScopeRequest


def _when(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidScopeRequest(f"{option}: {value!r} is not an ISO 8601 time", field=option) from None
    if parsed.tzinfo is None:
        raise InvalidScopeRequest(f"{option}: {value!r} needs a time zone (e.g. Z)", field=option)
    return parsed.isoformat()


def register(app: typer.Typer) -> None:
    @app.command()
    def scope(lot: list[str] = typer.Option([], "--lot", help="Component or finished-goods lot (LGTIN)."),
              serial: list[str] = typer.Option([], "--serial", help="Serial (SGTIN or Digital Link)."),
              container: list[str] = typer.Option([], "--container",
                                                  help="Container (SSCC): its contents when shipped."),
              party: list[str] = typer.Option([], "--party", help="Supplier (PGLN): what its sites produced."),
              site: list[str] = typer.Option([], "--site", help="Site or line (SGLN): what was produced there."),
              product: list[str] = typer.Option([], "--product", help="Product GTIN."),
              window_from: str = typer.Option(None, "--from", help="Window start for --party/--site/--product."),
              window_to: str = typer.Option(None, "--to", help="Window end for --party/--site/--product."),
              as_of: str = typer.Option(None, "--as-of", help="Answer as the records stood then (ISO 8601)."),
              exclude_decommissioned: bool = typer.Option(False, help="Leave out used/decommissioned serials."),
              exclude_returned: bool = typer.Option(False, help="Leave out returned serials."),
              max_depth: int = typer.Option(None, min=0, max=32, help="Genealogy links to follow."),
              save: bool = typer.Option(False, help="Save the scope (prints its id)."),
              export: Path = typer.Option(None, help="Write the whole scope to this file."),
              fmt: str = typer.Option("csv", "--format", help="Export format: csv, xlsx, json, consignees."),
              as_json: bool = typer.Option(False, "--json", help="Print the answer (first page) as JSON.")) -> None:
        """Which serials and customers a problem reaches (the union of the starting points)."""
        from tracegraph.recalls import export as exports
        from tracegraph.recalls import service
        from tracegraph.recalls.enums import ExportFormat
        from tracegraph.recalls.models import ScopeRequest

        window = {"from": _when(window_from, "--from"), "to": _when(window_to, "--to")}
        starts = [{"kind": k, "id": v} for k, values in (("lot", lot), ("serial", serial), ("container", container))
                  for v in values]
        starts += [{"kind": k, "id": v, **window} for k, values in (("party", party), ("site", site),
                                                                     ("product", product)) for v in values]
        try:
            request = ScopeRequest(starts=starts, as_of=_when(as_of, "--as-of"), max_depth=max_depth, save=save,
                                   include_decommissioned=not exclude_decommissioned,
                                   include_returned=not exclude_returned)
            export_format = ExportFormat(fmt)
        except (ValidationError, ValueError) as exc:
            first = exc.errors()[0] if isinstance(exc, ValidationError) else {"loc": ("--format",), "msg": str(exc)}
            where = ".".join(str(p) for p in first["loc"]) or "request"
            raise InvalidScopeRequest(f"{where}: {first['msg']}", field=where) from None
        with Database(get_settings()) as db:
            if export:
                from tracegraph.cli.progress import progress
                with progress("computing the scope", unit="bytes") as update:
                    computed = service.compute(db, request)
                    update(description=f"writing {len(computed.serials):,} serials")
                    with export.open("wb") as out:
                        for chunk in exports.stream(db, computed, export_format):
                            out.write(chunk)
                            update(len(chunk))
                typer.echo(f"wrote {len(computed.serials)} serials to {export}")
                return
            result = service.scope(db, request, actor="cli")
        if as_json:
            typer.echo(json.dumps(result.model_dump(mode="json"), indent=2, sort_keys=True))
            return
        console = Console()
        table = Table("what", "count")
        for key in ("serials", "lots", "consignees", "sites"):
            table.add_row(key, str(getattr(result.summary, key)))
        for bucket, count in result.summary.by_status.items():
            table.add_row(f"  {bucket.value}", str(count))
        console.print(table)
        if result.cycles:
            console.print(f"[red]genealogy cycles in the data:[/] {len(result.cycles)}")
        if result.scope_id:
            console.print(f"saved as recall scope {result.scope_id}")
