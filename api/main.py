"""The tracegraph HTTP API: `uvicorn api.main:app` (or `tracegraph serve`)."""
from __future__ import annotations

import gc
import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import openapi, problems, tracing
from api.guard import Guard
from api.observe import ObserveMiddleware
from api.routes import (
    alerts,
    audit,
    capas,
    console,
    epcis,
    epcis_queries,
    genealogy,
    health,
    holds,
    identifiers,
    imports,
    investigations,
    jobs,
    master,
    metrics,
    quality,
    recall_campaigns,
    recalls,
    resolver,
    rules,
    serials,
    session,
    trace,
    users,
    verify,
)
from core.settings import Settings, get_settings
from graph import schema
from graph.db import Database
from tracegraph.audit import service as audit_service
from tracegraph.security.middleware import SecurityMiddleware

log = logging.getLogger("tracegraph.api")


def start_background(app: FastAPI, dispatcher: bool = True) -> None:
    """What runs beside the routes: the subscription dispatcher (with the named queries' schema)
    and, unless `tracegraph worker`s run (TRACEGRAPH_INPROCESS_WORKER=false), a job worker."""
    if dispatcher:
        epcis_queries.start(app)
    app.state.worker = None
    if app.state.db.settings.inprocess_worker:
        from tracegraph.jobs.worker import Worker
        app.state.worker = Worker(app.state.db).start()


def stop_background(app: FastAPI) -> None:
    """Stop what start_background started and wait for recall notices being sent (issue 14)."""
    from tracegraph.campaigns import delivery
    epcis_queries.stop(app)
    if app.state.worker is not None:
        app.state.worker.stop()
    delivery.drain()


def freeze_startup_objects() -> None:
    """Move what exists once the app has started (modules, routes, models: some 200k objects, kept
    for the process's life) out of the garbage collector's reach. Otherwise each full collection
    walks them all again, and a call that builds a big answer (a 1,200-node genealogy) set one off
    every few calls: half its Python time."""
    gc.collect()
    gc.freeze()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.db = Database(settings)
        audit_service.configure(settings)  # key made on first start; checkpoint directory
        reachable = app.state.db.ping()
        if reachable:
            schema.migrate(app.state.db)  # every domain's schema, security and EPCIS queries included
        else:
            log.warning("Neo4j at %s is not reachable; /readyz reports it", settings.neo4j_uri)
        start_background(app, dispatcher=reachable)
        app.state.audit_checkpoints = audit_service.Checkpointer(app.state.db, settings.audit_checkpoint_seconds)
        freeze_startup_objects()
        yield
        gc.unfreeze()  # what was frozen is collectable again (tests start and stop many apps)
        tracing.shutdown(app)
        stop_background(app)
        app.state.audit_checkpoints.close()  # a last checkpoint of the head, the notices' records included
        capture = getattr(app.state, "capture", None)  # made on first use (api/routes/epcis.py)
        if capture is not None:
            capture.close()
        app.state.db.close()

    app = FastAPI(
        title="tracegraph",
        version="0.1.0",
        summary="Medical-device traceability: recall scope, genealogy and timelines on a Neo4j graph",
        lifespan=lifespan,
        docs_url=None,  # served by api/routes/console.py from local assets, not a CDN
        redoc_url=None,
        # OpenTelemetry is api/tracing.py's (TRACEGRAPH_OTEL_ENDPOINT): FastAPI's own would ask the
        # global providers whether to trace on every request, and they are never set here.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    problems.install(app)
    openapi.install(app)  # security schemes, problem responses, descriptions and examples (api/openapi.py)
    epcis.install(app)  # EPCIS REST binding problem types
    # Guard added first, so it runs inside SecurityMiddleware (request id, body size) and before the
    # routes; ObserveMiddleware between them sees every answer, the Guard's 401/403/429 too.
    app.add_middleware(Guard, api=app, per_minute=settings.partner_rate_per_minute,
                       burst=settings.partner_rate_burst)
    app.add_middleware(ObserveMiddleware)
    tracing.install(app, settings)  # optional OpenTelemetry spans (off unless an endpoint is set)
    app.add_middleware(SecurityMiddleware, max_body=settings.max_request_bytes)
    # verify first: routes match in order, and it is the partners' high-rate path
    for module in (verify, health, trace, serials, recalls, genealogy, audit, users, identifiers, master, quality,
                   rules, alerts, holds, imports, epcis, recall_campaigns, jobs, metrics):
        app.include_router(module.router)
    for module in (investigations, capas):  # issue 14
        app.include_router(module.router)
    app.include_router(epcis_queries.router)  # EPCIS query interface (issue 19)
    app.include_router(resolver.router)  # GS1 Digital Link resolver: /01/..., /00/... (issue 19)
    app.include_router(session.router)
    app.include_router(console.router)
    console.install(app)
    return app


app = create_app()
