import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
              port: int = typer.Option(8000, help="Port to listen on."),
              workers: int = typer.Option(1, min=1, help="Worker processes.")) -> None:
        """Serve the HTTP API (OpenAPI docs at /docs)."""
        import uvicorn
        uvicorn.run("api.main:app", host=host, port=port, workers=workers, log_level="info")
