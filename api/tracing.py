"""Optional OpenTelemetry traces: a server span per request (named by method and route
template), carrying the request and correlation ids, sent over OTLP/HTTP.

Off unless TRACEGRAPH_OTEL_ENDPOINT (or the standard OTEL_EXPORTER_OTLP_ENDPOINT) is set, and
needs the `otel` extra (pip install 'tracegraph[otel]'). The other standard OTEL_* variables
(headers, timeouts, sampling) apply as the SDK reads them.
"""
from __future__ import annotations

import logging
import os

from core.settings import Settings

log = logging.getLogger("tracegraph.tracing")
UNTRACED = "healthz,readyz,metrics"  # probes and scrapes: many, and nothing to learn from them


def endpoint(settings: Settings) -> str | None:
    return settings.otel_endpoint or os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or None


def make_exporter(url: str):
    """The span exporter (OTLP over HTTP); tests swap in an in-memory one."""
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    # The standard variable is a base URL (the exporter adds /v1/traces); ours names the URL itself.
    return OTLPSpanExporter(endpoint=url if url.rstrip("/").endswith("/v1/traces") else url.rstrip("/") + "/v1/traces")


class RequestIdsOnSpan:
    """Puts the request and correlation ids (set by SecurityMiddleware, which runs outside this)
    on the request's server span."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            from opentelemetry import trace
            span, state = trace.get_current_span(), scope.get("state", {})
            if span.is_recording():
                span.set_attribute("tracegraph.request_id", state.get("request_id", ""))
                span.set_attribute("tracegraph.correlation_id", state.get("correlation_id", ""))
        await self.app(scope, receive, send)


def install(app, settings: Settings) -> None:
    """Instrument `app` when an endpoint is configured; `app.state.tracer_provider` is the provider
    (None when tracing is off), shut down with the app."""
    app.state.tracer_provider = None
    url = endpoint(settings)
    if not url:
        return
    try:
        from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError:
        log.warning("an OpenTelemetry endpoint is set but the packages are missing: pip install 'tracegraph[otel]'")
        return
    provider = TracerProvider(resource=Resource.create({"service.name": settings.otel_service_name}))
    provider.add_span_processor(BatchSpanProcessor(make_exporter(url)))
    app.add_middleware(RequestIdsOnSpan)  # inside SecurityMiddleware (added after this), so the ids are known
    FastAPIInstrumentor.instrument_app(app, tracer_provider=provider, excluded_urls=UNTRACED)
    app.state.tracer_provider = provider
    log.info("OpenTelemetry traces go to %s", url)


def shutdown(app) -> None:
    """Send the spans still buffered and stop the exporter."""
    provider = getattr(app.state, "tracer_provider", None)
    if provider is not None:
        provider.shutdown()
