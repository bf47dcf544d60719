"""Observability (issue 18 §2): Prometheus /metrics, one request id for the response and the
audit trail, JSON logs carrying request and correlation ids; neo4j:// routing URIs."""
from __future__ import annotations

import json
import logging

import pytest

from core.settings import Settings
from graph.db import Database
from tracegraph.audit import service as audit
from tracegraph.jobs import service as jobs

PRODUCT = [{"gtin": "00614141123452", "name": "Infusion pump"}]


def _samples(text: str, name: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(name)]


def test_metrics_have_latency_by_route_template(client):
    client.get("/v1/jobs/some-id")
    text = client.get("/metrics").text
    assert any('route="/v1/jobs/{id}"' in line and 'status="404"' in line
               for line in _samples(text, "tracegraph_http_request_seconds_bucket"))


def test_metrics_never_label_raw_paths(client):
    client.get("/v1/jobs/some-id")
    assert "some-id" not in client.get("/metrics").text


def test_metrics_report_the_shared_job_queue_depth(client):
    jobs.submit(client.app.state.db, "test.never", delay_seconds=3600)
    text = client.get("/metrics").text
    assert 'tracegraph_job_queue_depth{kind="test.never",status="queued"} 1.0' in text


def test_metrics_time_named_neo4j_queries(client):
    client.get("/v1/jobs")
    assert any('query="jobs/list"' in line for line in _samples(client.get("/metrics").text,
                                                                "tracegraph_neo4j_query_seconds_count"))


def test_metrics_need_a_key(client_as):
    assert client_as(None).get("/metrics").status_code == 401


def _last_audit_request_id(db) -> str:
    records = audit.list_records(db, action=None, limit=1000)
    return [r for r in records if r.action.startswith("master.")][-1].request_id


@pytest.mark.parametrize("sent", ["client-chosen-id-42", "not a valid id!"])
def test_the_audit_trail_and_the_response_carry_one_request_id(client, sent):
    response = client.put("/v1/master/products", json=PRODUCT, headers={"X-Request-ID": sent})
    assert _last_audit_request_id(client.app.state.db) == response.headers["x-request-id"]


def test_a_valid_request_id_is_kept(client):
    response = client.put("/v1/master/products", json=PRODUCT, headers={"X-Request-ID": "client-chosen-id-42"})
    assert response.headers["x-request-id"] == "client-chosen-id-42"


def test_the_correlation_id_is_echoed(client):
    response = client.get("/healthz", headers={"X-Correlation-ID": "order-7"})
    assert response.headers["x-correlation-id"] == "order-7"


@pytest.fixture
def json_logs(capsys):
    from tracegraph.logs import configure
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    configure(Settings(log_format="json"))
    yield capsys
    root.handlers[:] = handlers
    root.setLevel(level)


def test_access_logs_are_json_with_request_and_correlation_ids(client, json_logs):
    client.get("/healthz", headers={"X-Request-ID": "rid-1", "X-Correlation-ID": "corr-1"})
    err = json_logs.readouterr().err
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    [entry] = [e for e in lines if e.get("event") == "request" and e.get("request_id") == "rid-1"]
    assert (entry["correlation_id"], entry["route"], entry["status"]) == ("corr-1", "/healthz", 200)


def test_a_routing_uri_works_against_a_single_server(db):
    host_port = db.settings.neo4j_uri.split("://", 1)[1]
    routed = Database(db.settings.model_copy(update={"neo4j_uri": f"neo4j://{host_port}"}))
    try:
        assert routed.read("jobs/count", status=None, kind=None) == [{"total": 0}]
    finally:
        routed.close()


def test_metrics_report_the_neo4j_pool(client):
    client.get("/v1/jobs")  # at least one connection opened and returned
    text = client.get("/metrics").text
    idle = _samples(text, "tracegraph_neo4j_pool_connections_idle{")
    assert idle and sum(float(line.rsplit(" ", 1)[1]) for line in idle) >= 1


def test_metrics_count_connections_in_use_while_a_transaction_holds_one(client):
    from graph.db import run

    def scrape_inside(tx) -> list[str]:
        run(tx, "jobs/count", status=None, kind=None)  # the connection is lent out until the transaction ends
        return _samples(client.get("/metrics").text, "tracegraph_neo4j_pool_connections_in_use{")
    in_use = client.app.state.db.read_tx(scrape_inside)
    assert sum(float(line.rsplit(" ", 1)[1]) for line in in_use) >= 1


def test_metrics_time_neo4j_connection_acquisition(client):
    client.get("/v1/jobs")
    [count] = _samples(client.get("/metrics").text, "tracegraph_neo4j_pool_acquire_seconds_count")
    assert float(count.rsplit(" ", 1)[1]) >= 1
