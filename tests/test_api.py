"""HTTP API: health, serial detail and timeline, problem+json errors."""
from urllib.parse import quote

import pytest

from loaders.epcis.document import parse_document
from tests import scenario as s
from tests.epcis import document
from tracegraph.capture.writer import write_document

PROBLEM = "application/problem+json"


@pytest.fixture
def api(client):
    write_document(client.app.state.db, parse_document(document(s.events()), "scenario"))
    return client


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_readyz_reports_neo4j_and_schema(client):
    response = client.get("/readyz")
    assert (response.status_code, response.json()) == (200, {"status": "ok", "neo4j": True, "schema": True})


def test_serial_detail(api):
    body = api.get(f"/v1/serials/{quote(s.D1, safe='')}").json()
    assert (body["lot"]["epc"], body["status"], body["site"], body["container"]) == \
        (s.FG1, "in_progress", s.SITE[4], None)


def test_serial_detail_shows_the_container_holding_it_now(api):
    assert api.get(f"/v1/serials/{quote(s.D3, safe='')}").json()["container"] is None
    body = api.get(f"/v1/serials/{quote(s.S1, safe='')}").json()
    assert body["product"]["gtin"].startswith("8")


def test_timeline_is_in_time_order_with_sites_and_steps(api):
    events = api.get(f"/v1/serials/{quote(s.D1, safe='')}/timeline").json()["events"]
    steps = [(e["biz_step"], e["site"]) for e in events]
    assert steps == [
        ("commissioning", s.SITE[2]), ("packing", s.SITE[2]), ("packing", s.SITE[2]),
        ("shipping", s.SITE[2]), ("receiving", s.SITE[3]), ("unpacking", s.SITE[3]),
        ("shipping", s.SITE[3]), ("receiving", s.SITE[4]), ("unpacking", s.SITE[4]),
    ]


def test_timeline_says_which_container_saw_the_item(api):
    events = api.get(f"/v1/serials/{quote(s.D1, safe='')}/timeline").json()["events"]
    assert [e["via"] for e in events if e["biz_step"] == "shipping"] == [s.PALLET, s.CASE]


@pytest.mark.parametrize("path", [
    "/v1/trace/forward?id=urn:epc:id:sgtin:0614141.812345.UNKNOWN",
    "/v1/serials/urn:epc:id:sgtin:0614141.812345.UNKNOWN",
    "/v1/serials/urn:epc:id:sgtin:0614141.812345.UNKNOWN/timeline",
])
def test_unknown_identifier_is_404_problem(api, path):
    response = api.get(path)
    body = response.json()
    assert (response.status_code, response.headers["content-type"], body["type"], body["status"]) == \
        (404, PROBLEM, "https://tracegraph.dev/problems/not-found", 404)


@pytest.mark.parametrize("value", [
    "urn:epc:id:sgtin:0614141.812345",          # serial missing
    "urn:epc:id:sgtin:06141.812345.1",           # prefix + item reference not 13 digits
    "https://id.gs1.org/01/09506000134353/21/1",  # bad GTIN check digit
    "hello",
    "x" * 600,
])
def test_malformed_identifier_is_422_problem_naming_why(api, value):
    response = api.get("/v1/trace/forward", params={"id": value})
    body = response.json()
    assert (response.status_code, response.headers["content-type"], body["field"], bool(body["detail"])) == \
        (422, PROBLEM, "id", True)


def test_missing_parameter_is_422_problem(api):
    response = api.get("/v1/trace/forward")
    assert (response.status_code, response.json()["type"]) == (422, "https://tracegraph.dev/problems/validation-error")


def test_unknown_route_is_404_problem(api):
    response = api.get("/v1/nothing-here")
    assert (response.status_code, response.headers["content-type"]) == (404, PROBLEM)


def test_openapi_documents_the_trace_routes(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/trace/forward", "/v1/trace/backward", "/v1/serials/{id}", "/v1/serials/{id}/timeline"} <= set(paths)
