"""Optional OpenTelemetry traces (issue 18 §2): off by default; with an endpoint set, each request
makes a server span named by its route template, carrying the response's request id."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from api import tracing
from api.main import create_app
from tests.conftest import issue_key


@pytest.fixture
def exporter(monkeypatch):
    found = InMemorySpanExporter()
    monkeypatch.setattr(tracing, "make_exporter", lambda url: found)
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    return found


@pytest.fixture
def traced(db, exporter):
    settings = db.settings.model_copy(update={"otel_endpoint": "http://collector.invalid:4318"})
    with TestClient(create_app(settings)) as client:
        client.headers["Authorization"] = f"Bearer {issue_key(db, 'traced-admin', ['admin'])}"
        yield client


def _server_spans(client, exporter) -> list:
    client.app.state.tracer_provider.force_flush()
    return [s for s in exporter.get_finished_spans() if s.kind == SpanKind.SERVER]


def test_a_request_makes_a_span_with_its_route_and_request_id(traced, exporter):
    response = traced.get("/v1/jobs/some-id", headers={"X-Request-ID": "trace-me-1"})
    [span] = [s for s in _server_spans(traced, exporter) if s.attributes.get("tracegraph.request_id") == "trace-me-1"]
    assert (span.attributes["http.route"], response.headers["x-request-id"]) == ("/v1/jobs/{id}", "trace-me-1")


def test_a_generated_request_id_is_the_one_on_the_span(traced, exporter):
    response = traced.get("/v1/jobs")
    ids = {s.attributes.get("tracegraph.request_id") for s in _server_spans(traced, exporter)}
    assert response.headers["x-request-id"] in ids


def test_probes_are_not_traced(traced, exporter):
    traced.get("/healthz")
    assert not [s for s in _server_spans(traced, exporter) if s.attributes.get("http.route") == "/healthz"]


def test_tracing_is_off_by_default(db, exporter):
    assert create_app(db.settings).state.tracer_provider is None


def test_the_standard_otlp_variable_turns_tracing_on(db, exporter, monkeypatch):
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector.invalid:4318")
    app = create_app(db.settings)
    try:
        assert app.state.tracer_provider is not None
    finally:
        tracing.shutdown(app)
