"""Progress on long CLI work, on stderr (so `--json` and exports to stdout stay clean)."""
from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

Update = Callable[..., None]


@contextmanager
def progress(description: str, total: float | None = None, unit: str = "") -> Iterator[Update]:
    """`with progress("verifying", unit="records") as update: update(advance=n, total=t, note=...)`.
    Without a total it counts and spins; with one it fills a bar. Shown only on a terminal (or
    with TRACEGRAPH_PROGRESS=1), so scripts and logs get just the result lines."""
    if not (sys.stderr.isatty() or os.environ.get("TRACEGRAPH_PROGRESS") == "1"):
        yield lambda *args, **kwargs: None
        return
    columns = [SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(),
               TextColumn("{task.completed:,.0f}" + ("/{task.total:,.0f}" if total else "") + f" {unit}"),
               TextColumn("{task.fields[note]}"), TimeElapsedColumn()]
    with Progress(*columns, console=Console(stderr=True), transient=False) as bar:
        task = bar.add_task(description, total=total, note="")

        def update(advance: float = 0, *, completed: float | None = None, total: float | None = None,
                   note: str | None = None, description: str | None = None) -> None:
            fields = {k: v for k, v in {"completed": completed, "total": total, "note": note,
                                        "description": description}.items() if v is not None}
            bar.update(task, advance=advance, **fields)
        yield update
