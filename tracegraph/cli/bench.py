import typer

app = typer.Typer(help="Benchmarks: tables and ratios against a baseline run in the same process.",
                  no_args_is_help=True)

# Each benchmark module adds its command here: `from tracegraph.bench import x; app.command("x")(x.cli)`.

from tracegraph.bench import verify  # noqa: E402

app.command("verify")(verify.cli)

from tracegraph.bench import rules  # noqa: E402  (issue 5)

app.command("rules")(rules.cli)

from tracegraph.bench import scope  # noqa: E402  (issue 4)

app.command("scope")(scope.cli)

from tracegraph.bench import ingest  # noqa: E402  (issue 3)

app.command("ingest")(ingest.cli)

from tracegraph.bench import load  # noqa: E402  (issue 18)

app.command("load")(load.cli)

from tracegraph.bench import serial  # noqa: E402  (issue 16)

app.command("serial")(serial.cli)

from tracegraph.bench import bulk  # noqa: E402  (issue 17)

app.command("bulk")(bulk.cli)
