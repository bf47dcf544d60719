import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
              port: int = typer.Option(8000, help="Port to listen on."),
              workers: int = typer.Option(1, min=1, help="Worker processes.")) -> None:
        """Serve the HTTP API (OpenAPI docs at /docs). Logs are JSON lines (TRACEGRAPH_LOG_FORMAT=text
        for plain text) with request and correlation ids."""
        import uvicorn

        from core.settings import get_settings
        from tracegraph.logs import configure
        configure(get_settings())
        uvicorn.run("api.main:app", host=host, port=port, workers=workers, log_config=None, access_log=False)
