"""The tracegraph HTTP API: `uvicorn api.main:app` (or `tracegraph serve`)."""
from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import openapi, problems
from api.guard import Guard
from api.routes import (
    alerts,
    audit,
    epcis,
    genealogy,
    health,
    holds,
    identifiers,
    imports,
    master,
    quality,
    recalls,
    rules,
    serials,
    trace,
    users,
    verify,
)
from core.settings import Settings, get_settings
from graph import schema
from graph.db import Database
from tracegraph.audit import service as audit_service
from tracegraph.security import schema as security_schema
from tracegraph.security.middleware import SecurityMiddleware

log = logging.getLogger("tracegraph.api")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.db = Database(settings)
        audit_service.use_key_file(settings.audit_key_path)  # made on first start
        if app.state.db.ping():
            schema.migrate(app.state.db)
            security_schema.migrate(app.state.db)
        else:
            log.warning("Neo4j at %s is not reachable; /readyz reports it", settings.neo4j_uri)
        yield
        capture = getattr(app.state, "capture", None)  # made on first use (api/routes/epcis.py)
        if capture is not None:
            capture.close()
        app.state.db.close()

    app = FastAPI(
        title="tracegraph",
        version="0.1.0",
        summary="Medical-device traceability: recall scope, genealogy and timelines on a Neo4j graph",
        lifespan=lifespan,
    )
    problems.install(app)
    openapi.install(app)  # security schemes, problem responses, descriptions and examples (api/openapi.py)
    epcis.install(app)  # EPCIS REST binding problem types
    # added first, so it runs inside SecurityMiddleware (request id, body size) and before the routes
    app.add_middleware(Guard, api=app, per_minute=settings.partner_rate_per_minute,
                       burst=settings.partner_rate_burst)
    app.add_middleware(SecurityMiddleware, max_body=settings.max_request_bytes)
    # verify first: routes match in order, and it is the partners' high-rate path
    for module in (verify, health, trace, serials, recalls, genealogy, audit, users, identifiers, master, quality,
                   rules, alerts, holds, imports, epcis):
        app.include_router(module.router)
    return app


app = create_app()
