import typer

app = typer.Typer(help="Benchmarks: tables and ratios against a baseline run in the same process.",
                  no_args_is_help=True)

# Each benchmark module adds its command here: `from tracegraph.bench import x; app.command("x")(x.cli)`.
