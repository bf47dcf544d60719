"""The tracegraph HTTP API: `uvicorn api.main:app` (or `tracegraph serve`)."""
from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import problems
from api.routes import health, serials, trace
from graph import schema
from graph.db import Database
from tracegraph.settings import Settings, get_settings

log = logging.getLogger("tracegraph.api")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.db = Database(settings)
        if app.state.db.ping():
            schema.migrate(app.state.db)
        else:
            log.warning("Neo4j at %s is not reachable; /readyz reports it", settings.neo4j_uri)
        yield
        app.state.db.close()

    app = FastAPI(
        title="tracegraph",
        version="0.1.0",
        summary="Medical-device traceability: recall scope, genealogy and timelines on a Neo4j graph",
        lifespan=lifespan,
    )
    problems.install(app)
    for module in (health, trace, serials):
        app.include_router(module.router)
    return app


app = create_app()
