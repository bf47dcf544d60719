"""EPCIS 2.0 query interface (issue 19): named queries, the conformance query documents,
content negotiation, top-level resources, capture discovery, partner scoping, subscriptions
(signed webhook to a local server, and the WebSocket)."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from loaders.epcis.document import parse_document
from loaders.epcis.xml import parse_epcis_xml
from tests import partners as p
from tests import scenario as s
from tests.conformance import conformance_path
from tests.epcis import document
from tracegraph.alerts.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from tracegraph.capture.writer import write_document

QUERIES = conformance_path("epcis-openepcis", "JSON", "Query", "Queries")
INVALID = sorted((QUERIES / "Invalid").glob("*.json"))
SECRET = "test-subscription-secret"


def _ids(body: dict) -> list[str]:
    return [e["eventID"] for e in body["epcisBody"]["queryResults"]["resultsBody"]["eventList"]]


def _ordered(predicate) -> list[str]:
    return [e["eventID"] for e in sorted(s.events(), key=lambda e: (e["eventTime"], e["eventID"])) if predicate(e)]


@pytest.fixture
def loaded(client):
    write_document(client.app.state.db, parse_document(document(s.events()), "scenario"))
    return client


def _create(client, name: str, query: dict):
    return client.post("/epcis/queries", json={"name": name, "query": query})


# -- conformance documents ------------------------------------------------------------------

def test_the_conformance_simple_event_query_is_accepted(client):
    query = json.loads((QUERIES / "SimpleEventQuery.json").read_text())
    response = _create(client, "conformance", query)
    assert (response.status_code, response.headers["Location"]) == (201, "/epcis/queries/conformance")


def test_the_conformance_simple_event_query_runs(client):
    _create(client, "conformance", json.loads((QUERIES / "SimpleEventQuery.json").read_text()))
    response = client.get("/epcis/queries/conformance/events")
    assert (response.status_code, _ids(response.json())) == (200, [])


@pytest.mark.parametrize("path", INVALID, ids=lambda path: path.name)
def test_invalid_conformance_queries_are_refused(client, path):
    response = _create(client, "invalid", json.loads(path.read_text()))
    assert (response.status_code, response.json()["type"]) == (400, "epcisException:QueryParameterException")


def test_the_invalid_values_document_names_its_first_bad_parameter(client):
    response = _create(client, "invalid", json.loads((QUERIES / "Invalid" / "Query_with_invalid_values.json")
                                                     .read_text()))
    assert response.json()["field"] == "GE_eventTime"


def test_the_unknown_parameter_is_named(client):
    response = _create(client, "invalid", json.loads((QUERIES / "Invalid" / "Query_with_unknown_parameter.json")
                                                     .read_text()))
    assert response.json()["field"] == "GE_eventDate"


@pytest.mark.parametrize("query, field", [
    ({"EQ_action": ["SHIPPED"]}, "EQ_action"),
    ({"orderDirection": "SIDEWAYS"}, "orderDirection"),
    ({"orderBy": "bizStep"}, "orderBy"),
    ({"eventCountLimit": 0}, "eventCountLimit"),
    ({"eventCountLimit": 5, "maxEventCount": 5}, "maxEventCount"),
    ({"GT_quantity": "many"}, "GT_quantity"),
    ({"MATCH_epc": ["urn:epc:idpat:sgtin:*.812345.7"]}, "MATCH_epc"),
    ({"EQ_bizTransaction_po": 7}, "EQ_bizTransaction_po"),
    ({"GE_ILMD_ex:weight": "heavy"}, "GE_ILMD_ex:weight"),
    ({"EXISTS_ex:flag": "yes"}, "EXISTS_ex:flag"),
    ({"HASATTR_epcList": ["urn:epcglobal:cbv:mda#sst"]}, "HASATTR_epcList"),
    ({"EQ_ATTR_bizLocation": ["201"]}, "EQ_ATTR_bizLocation"),
    ({"HASATTR_readPoint": 201}, "HASATTR_readPoint"),
    ({"EQ_nonsense": ["x"]}, "EQ_nonsense"),
])
def test_bad_parameters_are_query_parameter_exceptions(client, query, field):
    body = _create(client, "bad", query).json()
    assert (body["type"], body["field"]) == ("epcisException:QueryParameterException", field)


# -- named queries --------------------------------------------------------------------------

def test_a_named_query_is_listed_and_read_back(client):
    _create(client, "shipping", {"EQ_bizStep": ["shipping"]})
    listed = [q["name"] for q in client.get("/epcis/queries").json()]
    assert (listed, client.get("/epcis/queries/shipping").json()["query"]) == \
        (["shipping"], {"EQ_bizStep": ["shipping"]})


def test_a_taken_name_is_a_conflict(client):
    _create(client, "shipping", {"EQ_bizStep": ["shipping"]})
    assert _create(client, "shipping", {}).status_code == 409


def test_a_deleted_query_is_gone(client):
    _create(client, "shipping", {"EQ_bizStep": ["shipping"]})
    client.delete("/epcis/queries/shipping")
    response = client.get("/epcis/queries/shipping")
    assert (response.status_code, response.json()["type"]) == (404, "epcisException:NoSuchNameException")


def test_creating_and_deleting_queries_is_audited(client):
    _create(client, "audited", {})
    client.delete("/epcis/queries/audited")
    actions = {r["action"] for r in client.get("/v1/audit", params={"limit": 1000}).json()}
    assert {"epcis.query.create", "epcis.query.delete"} <= actions


def test_named_query_results_are_the_filtered_events(loaded):
    _create(loaded, "shipping", {"EQ_bizStep": ["https://ref.gs1.org/cbv/BizStep-shipping"]})
    body = loaded.get("/epcis/queries/shipping/events").json()
    assert _ids(body) == _ordered(lambda e: e.get("bizStep") == "shipping")


def test_order_direction_desc_reverses(loaded):
    _create(loaded, "all-desc", {"orderBy": "eventTime", "orderDirection": "DESC"})
    body = loaded.get("/epcis/queries/all-desc/events", params={"perPage": 1000}).json()
    assert [e["eventTime"] for e in body["epcisBody"]["queryResults"]["resultsBody"]["eventList"]] == \
        sorted((e["eventTime"] for e in s.events()), reverse=True)


def test_event_count_limit_caps_the_answer(loaded):
    _create(loaded, "three", {"eventCountLimit": 3})
    response = loaded.get("/epcis/queries/three/events", params={"perPage": 2})
    second = loaded.get(response.headers["Link"].split(">")[0].lstrip("<"))
    assert (len(_ids(response.json())) + len(_ids(second.json())), "Link" in second.headers) == (3, False)


def test_max_event_count_refuses_a_larger_answer(loaded):
    _create(loaded, "two", {"maxEventCount": 2})
    response = loaded.get("/epcis/queries/two/events")
    assert (response.status_code, response.json()["type"]) == (413, "epcisException:QueryTooLargeException")


def test_paging_a_named_query_walks_every_event_once(loaded):
    _create(loaded, "everything", {})
    seen, url = [], "/epcis/queries/everything/events?perPage=4"
    for _ in range(20):
        response = loaded.get(url)
        seen += _ids(response.json())
        if "Link" not in response.headers:
            break
        url = response.headers["Link"].split(">")[0].lstrip("<")
    assert seen == _ordered(lambda e: True)


# -- content negotiation and headers --------------------------------------------------------

def test_xml_answer_reads_back_as_the_same_events(loaded):
    response = loaded.get("/epcis/events", params={"EQ_bizStep": "shipping|receiving"},
                          headers={"Accept": "application/xml"})
    parsed = parse_epcis_xml(response.content)
    assert (response.headers["content-type"].startswith("application/xml"),
            [e["eventID"] for e in parsed["epcisBody"]["eventList"]]) == \
        (True, _ordered(lambda e: e.get("bizStep") in ("shipping", "receiving")))


def test_xml_answer_of_a_document_with_extensions_keeps_them(client):
    path = conformance_path("epcis-openepcis", "JSON", "Capture", "Documents", "SensorData_with_combined_events.json")
    write_document(client.app.state.db, parse_document(json.loads(path.read_text()), "sensor"))
    json_events = client.get("/epcis/events").json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    xml = parse_epcis_xml(client.get("/epcis/events", headers={"Accept": "application/xml"}).content)
    assert [len(e.get("sensorElementList", [])) for e in xml["epcisBody"]["eventList"]] == \
        [len(e.get("sensorElementList", [])) for e in json_events]


def test_plain_json_is_offered(loaded):
    response = loaded.get("/epcis/events", headers={"Accept": "application/json"})
    assert response.headers["content-type"].startswith("application/json")


def test_an_unsupported_accept_is_406(loaded):
    response = loaded.get("/epcis/events", headers={"Accept": "text/csv"})
    assert (response.status_code, response.json()["field"]) == (406, "Accept")


def test_an_old_epcis_version_is_406(loaded):
    assert loaded.get("/epcis/events", headers={"GS1-EPCIS-Version": "1.2.0"}).status_code == 406


def test_answers_carry_the_gs1_version_headers(loaded):
    headers = loaded.get("/epcis/events").headers
    assert (headers["GS1-EPCIS-Version"], headers["GS1-CBV-Version"]) == ("2.0.0", "2.0.0")


def test_options_on_capture_gives_its_limits(client):
    response = client.options("/epcis/capture")
    settings = client.app.state.db.settings
    assert (response.status_code, response.headers["GS1-Capture-Limit"],
            response.headers["GS1-Capture-File-Size-Limit"]) == \
        (204, str(settings.capture_max_events), str(settings.capture_max_bytes))


def test_capture_jobs_are_listed(client):
    response = client.post("/epcis/capture", content=json.dumps(document(s.events())).encode(),
                           headers={"Content-Type": "application/ld+json"})
    job_id = response.headers["Location"].rsplit("/", 1)[1]
    assert job_id in [j["captureID"] for j in client.get("/epcis/capture").json()]


# -- top-level resources --------------------------------------------------------------------

def test_biz_steps_lists_the_stored_ones(loaded):
    members = loaded.get("/epcis/bizSteps").json()["member"]
    assert "https://ref.gs1.org/cbv/BizStep-shipping" in members


def test_event_types_lists_the_stored_ones(loaded):
    assert set(loaded.get("/epcis/eventTypes").json()["member"]) == {e["type"] for e in s.events()}


def test_events_of_a_biz_step(loaded):
    body = loaded.get("/epcis/bizSteps/https%3A%2F%2Fref.gs1.org%2Fcbv%2FBizStep-receiving/events").json()
    assert _ids(body) == _ordered(lambda e: e.get("bizStep") == "receiving")


def test_events_of_an_epc(loaded):
    body = loaded.get(f"/epcis/epcs/{s.PALLET}/events").json()
    assert _ids(body) == _ordered(lambda e: s.PALLET in e.get("epcList", []) + e.get("childEPCs", [])
                                  + [e.get("parentID")])


def test_events_of_an_unknown_event_type_is_404(loaded):
    assert loaded.get("/epcis/eventTypes/TeleportEvent/events").status_code == 404


def test_epcs_are_paged(loaded):
    first = loaded.get("/epcis/epcs", params={"perPage": 2})
    second = loaded.get(first.headers["Link"].split(">")[0].lstrip("<")).json()["member"]
    assert first.json()["member"][-1] < second[0]


# -- partner scoping ------------------------------------------------------------------------

@pytest.fixture
def partner_api(client, client_as):
    p.load(client.app.state.db)
    return client, client_as("partner", party=p.DIST)


def _touches(event: dict, epcs: set[str]) -> bool:
    return bool(epcs & set(event.get("epcList", []) + event.get("childEPCs", []) + [event.get("parentID")]
                           + event.get("inputEPCList", []) + event.get("outputEPCList", [])))


def test_a_partner_sees_only_events_about_what_its_party_handled(partner_api):
    _, partner = partner_api
    _create(partner, "mine", {})
    seen = set(_ids(partner.get("/epcis/queries/mine/events", params={"perPage": 1000}).json()))
    # Dist Co received the pallet (with the case and D1, D2) and never saw D3
    handled = {s.PALLET, s.CASE, s.D1, s.D2}
    assert seen == {e["eventID"] for e in s.events() if _touches(e, handled)}


def test_a_partner_never_sees_a_foreign_serials_events(partner_api):
    _, partner = partner_api
    response = partner.get(f"/epcis/epcs/{s.D3}/events")
    assert _ids(response.json()) == []


def test_a_partner_does_not_see_others_named_queries(partner_api):
    internal, partner = partner_api
    _create(internal, "internal-only", {})
    assert (partner.get("/epcis/queries/internal-only").status_code,
            [q["name"] for q in partner.get("/epcis/queries").json()]) == (404, [])


def test_a_partners_resource_lists_are_scoped(partner_api):
    _, partner = partner_api
    assert s.D3 not in partner.get("/epcis/epcs", params={"perPage": 1000}).json()["member"]


# -- subscriptions --------------------------------------------------------------------------

class _Sink:
    """A local HTTP server that records what is POSTed to it."""

    def __init__(self):
        self.received: list[tuple[dict, bytes]] = []
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                sink.received.append(({k: v for k, v in self.headers.items()}, body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait(self, predicate, deadline: float = 120.0):
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            found = [r for r in list(self.received) if predicate(r)]
            if found:
                return found
            time.sleep(0.1)
        raise AssertionError(f"nothing matching arrived at {self.url}; got {len(self.received)} posts")


@pytest.fixture
def sink():
    found = _Sink()
    yield found
    found.server.shutdown()


@pytest.fixture
def signed(db):
    """The API with a webhook secret, as an admin."""
    from fastapi.testclient import TestClient

    from api.main import create_app
    from tests.conftest import issue_key
    settings = db.settings.model_copy(update={"esign_required": False, "webhook_secret": SECRET,
                                              "subscription_poll_seconds": 0.2})
    with TestClient(create_app(settings)) as api:
        api.headers["Authorization"] = f"Bearer {issue_key(db, 'sub-admin', ['admin'])}"
        yield api


def _body_ids(raw: bytes) -> list[str]:
    return _ids(json.loads(raw))


def test_a_stream_subscription_delivers_new_events_signed(signed, sink):
    _create(signed, "shipping", {"EQ_bizStep": ["shipping"]})
    made = signed.post("/epcis/queries/shipping/subscriptions", json={"dest": sink.url, "stream": True})
    write_document(signed.app.state.db, parse_document(document(s.events()), "after-subscribing"))
    headers, body = sink.wait(lambda r: _body_ids(r[1]))[0]
    assert (made.status_code, _body_ids(body), verify(SECRET, headers[TIMESTAMP_HEADER], body,
                                                      headers[SIGNATURE_HEADER])) == \
        (201, _ordered(lambda e: e.get("bizStep") == "shipping"), True)


def test_a_stream_subscription_names_its_subscription(signed, sink):
    _create(signed, "all", {})
    sub = signed.post("/epcis/queries/all/subscriptions", json={"dest": sink.url, "stream": True}).json()
    write_document(signed.app.state.db, parse_document(document(s.events()), "after-subscribing"))
    _, body = sink.wait(lambda r: True)[0]
    assert json.loads(body)["epcisBody"]["queryResults"]["subscriptionID"] == sub["subscriptionID"]


def test_a_stream_subscription_sends_each_event_once(signed, sink):
    _create(signed, "all", {})
    signed.post("/epcis/queries/all/subscriptions", json={"dest": sink.url, "stream": True})
    write_document(signed.app.state.db, parse_document(document(s.events()[:5]), "first"))
    sink.wait(lambda r: len(_body_ids(r[1])) > 0)
    write_document(signed.app.state.db, parse_document(document(s.events()[5:]), "second"))
    sink.wait(lambda r: s.events()[-1]["eventID"] in _body_ids(r[1]))
    delivered = [i for _, body in sink.received for i in _body_ids(body)]
    assert sorted(delivered) == sorted(e["eventID"] for e in s.events())


def test_a_scheduled_subscription_reports_even_when_empty(signed, sink):
    _create(signed, "nothing", {"eventType": ["AssociationEvent"]})
    made = signed.post("/epcis/queries/nothing/subscriptions",
                       json={"dest": sink.url, "schedule": {"second": "*"}, "reportIfEmpty": True})
    _, body = sink.wait(lambda r: True)[0]
    assert (made.status_code, _body_ids(body)) == (201, [])


def test_subscriptions_are_listed_and_deleted(signed, sink):
    _create(signed, "all", {})
    sub = signed.post("/epcis/queries/all/subscriptions", json={"dest": sink.url, "stream": True}).json()
    listed = [x["subscriptionID"] for x in signed.get("/epcis/queries/all/subscriptions").json()]
    deleted = signed.delete(f"/epcis/queries/all/subscriptions/{sub['subscriptionID']}").status_code
    assert (listed, deleted, signed.get("/epcis/queries/all/subscriptions").json()) == \
        ([sub["subscriptionID"]], 204, [])


@pytest.mark.parametrize("body, kind", [
    ({"dest": "ftp://example.com/x", "stream": True}, "epcisException:InvalidURIException"),
    ({"dest": "http://127.0.0.1:9/x"}, "epcisException:SubscriptionControlsException"),
    ({"dest": "http://127.0.0.1:9/x", "stream": True, "schedule": {"minute": "5"}},
     "epcisException:SubscriptionControlsException"),
    ({"dest": "http://127.0.0.1:9/x", "schedule": {"minute": "61"}}, "epcisException:SubscriptionControlsException"),
])
def test_bad_subscriptions_are_refused(client, body, kind):
    _create(client, "all", {})
    response = client.post("/epcis/queries/all/subscriptions", json=body)
    assert (response.status_code, response.json()["type"]) == (400, kind)


def test_a_subscription_to_an_unknown_query_is_404(client):
    response = client.post("/epcis/queries/nope/subscriptions", json={"dest": "http://127.0.0.1:9/", "stream": True})
    assert response.status_code == 404


def test_the_websocket_streams_new_results(signed):
    _create(signed, "receiving", {"EQ_bizStep": ["receiving"]})
    with signed.websocket_connect("/epcis/queries/receiving/subscriptions") as ws:
        hello = ws.receive_json()
        write_document(signed.app.state.db, parse_document(document(s.events()), "live"))
        message = ws.receive_json()
    assert (hello["type"], _ids(message)) == ("subscribed", _ordered(lambda e: e.get("bizStep") == "receiving"))


def test_the_websocket_needs_credentials(signed):
    from starlette.websockets import WebSocketDisconnect
    _create(signed, "receiving", {})
    del signed.headers["Authorization"]
    with pytest.raises(WebSocketDisconnect) as refused, \
            signed.websocket_connect("/epcis/queries/receiving/subscriptions") as ws:
        ws.receive_json()
    assert refused.value.code == 4401


# -- error declarations and site hierarchy ----------------------------------------------------

def _capture_conformance(client, name: str) -> list[dict]:
    path = conformance_path("epcis-openepcis", "JSON", "Capture", "Documents", name)
    doc = json.loads(path.read_text())
    write_document(client.app.state.db, parse_document(doc, name))
    return doc["epcisBody"]["eventList"]


@pytest.mark.parametrize("query", [
    {"EXISTS_errorDeclaration": None},
    {"EQ_errorReason": ["incorrect_data"]},
    {"EQ_errorReason": ["https://ref.gs1.org/cbv/ER-incorrect_data"]},
    {"EQ_correctiveEventID": ["urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6"]},
    {"GE_errorDeclaration_Time": "2021-02-01T00:00:00Z", "LT_errorDeclaration_Time": "2021-02-02T00:00:00Z"},
])
def test_error_declaration_filters(client, query):
    events = _capture_conformance(client, "ObjectEvent_with_error_declaration.json")
    _create(client, "declared", query)
    assert _ids(client.get("/epcis/queries/declared/events").json()) == \
        [e["eventID"] for e in events if e.get("errorDeclaration")]


def test_error_declaration_time_outside_the_window_matches_nothing(client):
    _capture_conformance(client, "ObjectEvent_with_error_declaration.json")
    _create(client, "declared", {"GE_errorDeclaration_Time": "2021-03-01T00:00:00Z"})
    assert _ids(client.get("/epcis/queries/declared/events").json()) == []


def test_with_descendants_follows_the_site_hierarchy(client):
    from tests.epcis import sgln
    parent = sgln(90)
    master = [{"type": "urn:epcglobal:epcis:vtype:BusinessLocation",
               "vocabularyElementList": [{"id": s.SITE[3], "attributes": [
                   {"id": "https://tracegraph.dev/mda#parentSite", "attribute": parent}]}]}]
    write_document(client.app.state.db, parse_document(document(s.events(), master), "hierarchy"))
    ids = _ids(client.get("/epcis/events", params={"WD_bizLocation": parent}).json())
    assert ids == _ordered(lambda e: e.get("bizLocation", {}).get("id") == s.SITE[3])


def _with_site_master_data(client) -> None:
    """The scenario with location master data: site 2 is a sub-site type 201, site 3 has only a name."""
    master = [{"type": "urn:epcglobal:epcis:vtype:BusinessLocation", "vocabularyElementList": [
        {"id": s.SITE[2], "attributes": [{"id": "urn:epcglobal:cbv:mda#sst", "attribute": "201"}]},
        {"id": s.SITE[3], "attributes": [{"id": "urn:epcglobal:cbv:mda#name", "attribute": "Hospital"}]}]}]
    write_document(client.app.state.db, parse_document(document(s.events(), master), "sites"))


def test_eq_attr_picks_events_by_their_locations_master_data(client):
    _with_site_master_data(client)
    ids = _ids(client.get("/epcis/events", params={"EQ_ATTR_bizLocation_urn:epcglobal:cbv:mda#sst": "201"}).json())
    assert ids == _ordered(lambda e: e.get("bizLocation", {}).get("id") == s.SITE[2])


def test_hasattr_picks_events_whose_location_has_the_attribute(client):
    _with_site_master_data(client)
    _create(client, "named-sites", {"HASATTR_bizLocation": ["urn:epcglobal:cbv:mda#name"]})
    ids = _ids(client.get("/epcis/queries/named-sites/events").json())
    assert ids == _ordered(lambda e: e.get("bizLocation", {}).get("id") == s.SITE[3])


def test_a_subscription_signs_with_its_own_signature_token(client, sink):
    token = "subscriber-chosen-token-0123456789"
    _create(client, "all", {})
    client.post("/epcis/queries/all/subscriptions", json={"dest": sink.url, "stream": True, "signatureToken": token})
    write_document(client.app.state.db, parse_document(document(s.events()), "token"))
    headers, body = sink.wait(lambda r: True)[0]
    assert verify(token, headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER])


def test_a_partners_subscription_delivers_only_its_events(client, client_as, sink):
    p.load(client.app.state.db)
    partner = client_as("partner", party=p.DIST)
    _create(partner, "mine", {})
    partner.post("/epcis/queries/mine/subscriptions",
                 json={"dest": sink.url, "stream": True, "signatureToken": SECRET,
                       "initialRecordTime": "2000-01-01T00:00:00Z"})
    _, body = sink.wait(lambda r: True)[0]
    assert set(_body_ids(body)) == {e["eventID"] for e in s.events() if _touches(e, {s.PALLET, s.CASE, s.D1, s.D2})}


# -- XML query documents (Poll) -----------------------------------------------------------------

XML_QUERIES = conformance_path("epcis-openepcis", "XML", "Query", "Queries")


def _create_xml(client, name: str, path):
    return client.post("/epcis/queries", params={"name": name}, content=path.read_bytes(),
                       headers={"Content-Type": "application/xml"})


def test_the_conformance_xml_poll_is_accepted(client):
    response = _create_xml(client, "xml-conformance", XML_QUERIES / "SimpleEventQuery.xml")
    assert (response.status_code, response.json()["query"]["EQ_bizStep"]) == \
        (201, ["https://ref.gs1.org/cbv/BizStep-shipping"])


@pytest.mark.parametrize("path", sorted((XML_QUERIES / "Invalid").glob("*.xml")), ids=lambda path: path.name)
def test_invalid_conformance_xml_polls_are_refused(client, path):
    response = _create_xml(client, "xml-invalid", path)
    assert (response.status_code, response.json()["type"]) == (400, "epcisException:ValidationException")


def test_an_xml_poll_runs_like_its_json_twin(loaded):
    poll = (b'<epcisq:EPCISQueryDocument xmlns:epcisq="urn:epcglobal:epcis-query:xsd:2" schemaVersion="2.0" '
            b'creationDate="2026-01-01T00:00:00Z"><EPCISBody><epcisq:Poll><queryName>SimpleEventQuery</queryName>'
            b'<params><param><name>EQ_bizStep</name><value><string>receiving</string></value></param>'
            b'</params></epcisq:Poll></EPCISBody></epcisq:EPCISQueryDocument>')
    loaded.post("/epcis/queries", params={"name": "xml-receiving"}, content=poll,
                headers={"Content-Type": "application/xml"})
    body = loaded.get("/epcis/queries/xml-receiving/events").json()
    assert _ids(body) == _ordered(lambda e: e.get("bizStep") == "receiving")


# -- facets of events stored before, and schedules --------------------------------------------

def test_events_stored_before_the_query_interface_are_indexed_by_backfill(db):
    from tracegraph.epcis_query import service
    from tracegraph.security.models import Principal
    events = _capture_conformance_db(db, "ObjectEvent_with_error_declaration.json")
    db.write("test/epcis_drop_facets")
    indexed = service.backfill(db)
    rows, _ = service.run_query(db, service.parse(db, {"EQ_errorReason": ["incorrect_data"]}),
                                Principal(id="t", roles=frozenset({"admin"})))
    assert (indexed, [r["event_id"] for r in rows]) == \
        (len(events), [e["eventID"] for e in events if e.get("errorDeclaration")])


def _capture_conformance_db(db, name: str) -> list[dict]:
    path = conformance_path("epcis-openepcis", "JSON", "Capture", "Documents", name)
    doc = json.loads(path.read_text())
    write_document(db, parse_document(doc, name))
    return doc["epcisBody"]["eventList"]


@pytest.mark.parametrize("schedule, moment, fires", [
    ({"second": "*"}, "2026-01-01T10:20:30", True),
    ({"minute": "*/5"}, "2026-01-01T10:20:00", True),
    ({"minute": "*/5"}, "2026-01-01T10:20:30", False),  # unset fields below the set one are 0
    ({"minute": "*/5"}, "2026-01-01T10:21:00", False),
    ({"hour": "[9-17]", "dayOfWeek": "1-5"}, "2026-01-02T09:00:00", True),  # a Friday
    ({"hour": "[9-17]", "dayOfWeek": "1-5"}, "2026-01-03T09:00:00", False),  # a Saturday
    ({"second": "0,30", "minute": "15"}, "2026-01-01T08:15:30", True),
])
def test_schedules_fire_when_the_epcis_query_schedule_says(schedule, moment, fires):
    from datetime import datetime

    from tracegraph.epcis_query.models import Schedule
    from tracegraph.epcis_query.subscriptions import compile_schedule
    from tracegraph.epcis_query.subscriptions import fires as fires_at
    assert fires_at(compile_schedule(Schedule(**schedule)), datetime.fromisoformat(moment)) is fires
