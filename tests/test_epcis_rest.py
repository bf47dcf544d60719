"""EPCIS 2.0 REST binding subset: capture jobs, the event query with paging, problem types."""
from __future__ import annotations

import json
import time

import pytest

from tests import scenario as s
from tests.conformance import conformance_path
from tests.epcis import document

XML_DOC = conformance_path("epcis-openepcis", "XML", "Capture", "Documents", "ObjectEvent.xml")


def _capture(client, body: bytes, media: str = "application/ld+json"):
    return client.post("/epcis/capture", content=body, headers={"Content-Type": media})


def _wait(client, location: str) -> dict:
    for _ in range(600):
        job = client.get(location).json()
        if not job["running"]:
            return job
        time.sleep(0.05)
    raise AssertionError(f"capture job {location} still running")


@pytest.fixture
def loaded(client):
    response = _capture(client, json.dumps(document(s.events())).encode())
    assert response.status_code == 202
    assert _wait(client, response.headers["Location"])["success"]
    return client


def test_capture_is_accepted_then_succeeds(client):
    response = _capture(client, json.dumps(document(s.events())).encode())
    job = _wait(client, response.headers["Location"])
    assert (response.status_code, job["success"], job["eventsNew"], job["errors"]) == \
        (202, True, len(s.events()), [])


def test_capture_of_the_same_content_is_a_reported_noop(loaded):
    response = _capture(loaded, json.dumps(document(s.events())).encode())
    job = _wait(loaded, response.headers["Location"])
    assert (job["success"], job["noop"], job["eventsNew"]) == (True, True, 0)


def test_xml_capture(client):
    job = _wait(client, _capture(client, XML_DOC.read_bytes(), "application/xml").headers["Location"])
    assert (job["success"], job["eventsNew"]) == (True, 2)


def test_invalid_document_is_a_validation_exception_naming_the_field(client):
    events = s.events()
    events[3]["action"] = "CREATE"
    response = _capture(client, json.dumps(document(events)).encode())
    body = response.json()
    assert (response.status_code, body["type"], body["field"], body["eventIndex"]) == \
        (400, "epcisException:ValidationException", "action", 3)


def test_not_json_is_a_validation_exception(client):
    response = _capture(client, b"{not json")
    assert (response.status_code, response.json()["type"]) == (400, "epcisException:ValidationException")


def test_unsupported_media_type(client):
    response = _capture(client, b"a,b", "text/csv")
    assert response.status_code == 415


def test_unknown_capture_job_is_no_such_resource(client):
    response = client.get("/epcis/capture/nope")
    assert (response.status_code, response.json()["type"]) == (404, "epcisException:NoSuchResourceException")


def test_a_job_left_running_by_a_dead_process_is_reported_failed(client):
    from graph.db import run
    client.app.state.db.write_tx(lambda tx: run(tx, "epcis/job_create", id="orphan", source="x", digest="d",
                                                events=1))
    job = client.get("/epcis/capture/orphan").json()
    assert (job["running"], job["success"], "nothing of it was written" in job["errors"][0]["detail"]) == \
        (False, False, True)


def _event_ids(response) -> list[str]:
    return [e["eventID"] for e in response.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]]


def _expected(predicate) -> list[str]:
    return [e["eventID"] for e in sorted(s.events(), key=lambda e: (e["eventTime"], e["eventID"])) if predicate(e)]


@pytest.mark.parametrize("params, predicate", [
    ({"eventType": "AggregationEvent"}, lambda e: e["type"] == "AggregationEvent"),
    ({"eventType": "AggregationEvent|TransformationEvent"},
     lambda e: e["type"] in ("AggregationEvent", "TransformationEvent")),
    ({"EQ_bizStep": "shipping"}, lambda e: e.get("bizStep") == "shipping"),
    ({"EQ_bizStep": "https://ref.gs1.org/cbv/BizStep-receiving"}, lambda e: e.get("bizStep") == "receiving"),
    ({"EQ_bizLocation": s.SITE[3]}, lambda e: e.get("bizLocation", {}).get("id") == s.SITE[3]),
    ({"MATCH_epc": s.PALLET}, lambda e: s.PALLET in e.get("epcList", []) + e.get("childEPCs", [])),
    ({"MATCH_anyEPC": s.PALLET},
     lambda e: s.PALLET in e.get("epcList", []) + e.get("childEPCs", []) + [e.get("parentID")]),
    ({"GE_eventTime": "2025-01-01T00:30:00Z", "LT_eventTime": "2025-01-01T00:51:00Z"},
     lambda e: "2025-01-01T00:30" <= e["eventTime"] < "2025-01-01T00:51"),
])
def test_event_query_filters(loaded, params, predicate):
    assert _event_ids(loaded.get("/epcis/events", params=params)) == _expected(predicate)


def test_paging_walks_every_event_once(loaded):
    seen, params = [], {"perPage": "5"}
    for _ in range(10):
        response = loaded.get("/epcis/events", params=params)
        seen += _event_ids(response)
        if "Link" not in response.headers:
            break
        params = {"perPage": "5", "nextPageToken": response.headers["Link"].split("nextPageToken=")[1].split(">")[0]}
    assert seen == _expected(lambda e: True)


def test_the_query_answer_is_an_epcis_query_document(loaded):
    body = loaded.get("/epcis/events", params={"perPage": "3"}).json()
    assert (body["type"], body["schemaVersion"], body["@context"][0]) == \
        ("EPCISQueryDocument", "2.0", "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld")


def test_one_event_by_id_is_the_captured_event(loaded):
    original = s.events()[5]
    body = loaded.get(f"/epcis/events/{original['eventID']}").json()
    assert {k: body[k] for k in original} == original


@pytest.mark.parametrize("params, field", [
    ({"eventType": "TeleportEvent"}, "eventType"),
    ({"GE_eventTime": "yesterday"}, "GE_eventTime"),
    ({"perPage": "0"}, "perPage"),
    ({"nextPageToken": "garbage"}, "nextPageToken"),
    ({"MATCH_epc": "not-an-epc"}, "MATCH_epc"),
    ({"EQ_foo": "x"}, "EQ_foo"),
])
def test_bad_query_parameters_are_query_parameter_exceptions(client, params, field):
    response = client.get("/epcis/events", params=params)
    body = response.json()
    assert (response.status_code, body["type"], body["field"]) == (400, "epcisException:QueryParameterException", field)


def test_unknown_event_is_no_such_resource(client):
    response = client.get("/epcis/events/urn:uuid:nope")
    assert (response.status_code, response.json()["type"]) == (404, "epcisException:NoSuchResourceException")
