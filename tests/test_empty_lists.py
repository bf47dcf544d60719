"""An empty list is stored as no property, as the bulk importer must store it (tests/test_bulk.py
holds the two graphs equal): an event's destinations and query facets, an item's stored shipments
and places. Every answer that shows them reads as it read when the writer stored [] (stores
written then still hold [], and must answer alike)."""
from urllib.parse import quote

import pytest

from loaders.epcis.document import parse_document
from tests import scenario as s
from tests.epcis import document, observe, sgtin
from tracegraph.capture.writer import write_document
from tracegraph.epcis_query import facets
from tracegraph.epcis_query import service as epcis_query

LONE = sgtin("LONE")  # seen once, nowhere, never shipped: every list of its state is empty
SEEN = observe([LONE], 70, site=None, event_id="urn:uuid:5ce0a410-0000-4000-8000-000000000099")
SERIALS = [s.D1, s.D2, s.D3, s.S1, s.S2, LONE]
QUERIES = [{}, {"EQ_bizStep": "inspecting"}, {"EXISTS_errorDeclaration": "true"}, {"GE_quantity": "1"},
           {"EQ_destination_location": s.SITE[3]}, {"EQ_quantity": "100"}]


@pytest.fixture
def api(client):
    write_document(client.app.state.db, parse_document(document(s.events() + [SEEN]), "scenario"))
    return client


def _ok(response) -> dict:
    assert response.status_code == 200, response.text
    return response.json()


def answers(api) -> dict:
    """What the API and the readers of the lists answer about the scenario."""
    db = api.app.state.db
    out = {}
    for epc in SERIALS:
        out[f"timeline {epc}"] = _ok(api.get(f"/v1/serials/{quote(epc, safe='')}/timeline"))
        out[f"serial {epc}"] = _ok(api.get(f"/v1/serials/{quote(epc, safe='')}"))
    for direction in ("forward", "backward"):
        for start in (s.A, s.FG1, s.D1, LONE, s.PALLET):
            out[f"trace {direction} {start}"] = _ok(api.get(f"/v1/trace/{direction}", params={"id": start}))
    for starts in ([{"kind": "lot", "id": s.A}], [{"kind": "serial", "id": LONE}], [{"kind": "lot", "id": s.FG1}]):
        body = _ok(api.post("/v1/recall-scope", json={"starts": starts}))
        out[f"scope {starts}"] = {k: v for k, v in body.items() if k not in ("elapsed_ms", "scope_id")}
    for params in QUERIES:
        out[f"query {params}"] = _ok(api.get("/epcis/events", params=params))["epcisBody"]
    out["observations"] = db.read("trace/observations", epcs=SERIALS, with_events=True, with_shipments=True,
                                  as_of=None)
    for name in ("recall/state", "recall/where", "recall/item_now", "recall/item_places"):
        out[name] = db.read_columns(name, epcs=SERIALS, as_of=None)
    out["campaigns/shipments"] = db.read("campaigns/shipments", epcs=SERIALS)
    out["campaigns/returns"] = db.read("campaigns/returns", epcs=SERIALS, since=s.events()[0]["eventTime"])
    out["campaigns/demo_lot"] = db.read("campaigns/demo_lot", least=1)
    return out


def test_empty_lists_are_stored_as_no_property(api):
    db = api.app.state.db
    lone = db.read("test/list_keys", event_id=SEEN["eventID"], epc=LONE)[0]
    shipped = db.read("test/list_keys", event_id=s.events()[11]["eventID"], epc=s.D1)[0]  # ship PALLET to 3
    assert (sorted(lone["event"]), lone["item"], sorted(shipped["event"]), sorted(shipped["item"])) == \
        (["q_keys"], ["state_key"], ["destinations", "q_keys", "q_str"],
         ["state_key", "state_ship_ms", "state_ship_to", "state_where"])


def test_answers_read_as_with_the_empty_lists_stored_before(api):
    db = api.app.state.db
    now = answers(api)
    stored = db.write("test/empty_lists")[0]
    before = answers(api)
    assert (stored["events"], stored["items"]) == (len(s.events()) + 1, len(SERIALS))
    assert now == before
    # and what they show of the lone item and its event is what an empty list showed
    timeline = now[f"timeline {LONE}"]["events"]
    assert [(e["event_id"], e["destinations"], e["site"]) for e in timeline] == [(SEEN["eventID"], [], None)]
    assert now["observations"][-1]["shipments"] == [] and now["observations"][-1]["sites"] == []
    assert [e["eventID"] for e in now[f"query {QUERIES[1]}"]["queryResults"]["resultsBody"]["eventList"]] == \
        [s.events()[8]["eventID"], SEEN["eventID"]]


def test_backfill_ends_when_an_event_has_no_facet_keys(db, monkeypatch):
    """An event with no facet keys keeps no q_keys: the backfill must not ask for it again forever."""
    write_document(db, parse_document(document([SEEN]), "lone"))
    db.write("test/epcis_drop_facets")
    monkeypatch.setattr(facets, "of_event", lambda *args, **kw: {"q_keys": [], "q_str": [], "q_nk": [], "q_nv": []})
    assert epcis_query.backfill(db) == 1
    assert db.read("test/list_keys", event_id=SEEN["eventID"], epc=LONE)[0]["event"] == []
