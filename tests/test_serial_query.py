"""The one-query serial read (cypher/serials/serial.cypher) answers as the separate queries did:
the record as stored and, by the included rules of trace/observations.cypher, the same site,
status and events as that query run on its own (the oracle)."""
import pytest

from graph.db import native
from graph.queries import query
from tests import scenario as s
from tracegraph.serials import service
from tracegraph.trace.service import observations

ITEMS = [s.D1, s.D2, s.D3, s.S1, s.S2]


def test_an_include_line_is_replaced_by_the_named_file():
    text = query("serials/serial")
    assert "// include:" not in text and query("trace/observations") in text


@pytest.mark.parametrize("epc", ITEMS)
def test_site_and_status_are_those_of_the_observations_query(scenario_api, epc):
    db = scenario_api.app.state.db
    alone = observations(db, [epc])[epc]
    got = service.get_serial(db, epc)
    assert (got.site, got.status) == (alone["site"], alone["status"])


@pytest.mark.parametrize("epc", ITEMS)
def test_timeline_events_are_those_of_the_observations_query(scenario_api, epc):
    db = scenario_api.app.state.db
    alone = observations(db, [epc], with_events=True)[epc]["events"]
    got = service.timeline(db, epc).events
    assert [(e.event_id, e.time, e.via) for e in got] == [(e["event_id"], native(e["time"]), e["via"]) for e in alone]


def test_an_item_without_events_is_unknown_where(db):
    db.write("test/item_without_events", epc=s.D1, gtin="00614141812345", serial="D1")
    got = service.get_serial(db, s.D1)
    assert (got.status, got.site, service.timeline(db, s.D1).events) == ("unknown", None, [])
