"""Forward and backward traces on a small history whose answers were worked out by hand."""
import json

import pytest

from core.errors import NotFound
from core.identifiers import to_digital_link
from graph.queries import query
from loaders.epcis.document import parse_document
from tests import epcis as b
from tests import scenario as s
from tests.epcis import document
from tracegraph.capture.writer import write_document
from tracegraph.recalls import state
from tracegraph.trace.service import trace, trace_page


@pytest.fixture
def loaded(db):
    write_document(db, parse_document(document(s.events()), "scenario"))
    return db


def test_forward_from_component_lot_reaches_subassemblies_and_devices(loaded):
    assert trace(loaded, s.A, "forward").serials == sorted([s.S1, s.S2, s.D1, s.D2])


def test_forward_lots_are_the_lots_of_reached_items(loaded):
    assert trace(loaded, s.A, "forward").lots == sorted([s.SUB1, s.FG1])


def test_forward_containers_include_nested_pallet(loaded):
    assert trace(loaded, s.A, "forward").containers == sorted([s.CASE, s.PALLET])


def test_forward_sites_follow_items_and_their_containers(loaded):
    assert trace(loaded, s.A, "forward").sites == sorted([s.SITE[2], s.SITE[3], s.SITE[4]])


def test_forward_current_site_and_status(loaded):
    current = trace(loaded, s.A, "forward").current
    assert {k: (v.site, v.status) for k, v in current.items()} == {
        s.S1: (s.SITE[2], "active"),
        s.S2: (s.SITE[2], "active"),
        s.D1: (s.SITE[4], "in_progress"),
        s.D2: (s.SITE[4], "decommissioned"),
    }


def test_lot_level_input_puts_every_output_in_scope(loaded):
    assert trace(loaded, s.R, "forward").serials == sorted([s.D1, s.D2])


def test_backward_from_device_walks_inputs_lots_and_raw_material(loaded):
    result = trace(loaded, s.D1, "backward")
    assert (result.serials, result.lots) == ([s.S1], sorted([s.A, s.B, s.R, s.FG1, s.SUB1]))


def test_backward_does_not_pull_in_siblings_of_the_same_lot(loaded):
    assert s.D3 not in trace(loaded, s.D1, "backward").serials


def test_container_root_traces_its_contents(loaded):
    result = trace(loaded, s.PALLET, "forward")
    assert (result.serials, result.containers) == (sorted([s.D1, s.D2]), sorted([s.CASE, s.PALLET]))


def test_item_that_never_left_the_factory(loaded):
    result = trace(loaded, s.C, "forward")
    assert (result.serials, result.sites, result.containers) == ([s.D3], [s.SITE[2]], [])


def test_unknown_identifier_is_not_found(loaded):
    with pytest.raises(NotFound):
        trace(loaded, "urn:epc:id:sgtin:0614141.812345.NOPE", "forward")


def test_digital_link_and_urn_give_the_same_answer(client):
    from tests.epcis import document as doc
    from tracegraph.capture.writer import write_document as write
    write(client.app.state.db, parse_document(doc(s.events()), "scenario"))
    by_urn = client.get("/v1/trace/forward", params={"id": s.S1}).json()
    by_link = client.get("/v1/trace/forward", params={"id": to_digital_link(s.S1)}).json()
    assert by_urn == by_link


def test_cli_and_api_give_the_same_answer(client, neo4j_settings, monkeypatch):
    import json

    from typer.testing import CliRunner

    from core.settings import get_settings
    from tracegraph.cli import app
    write_document(client.app.state.db, parse_document(document(s.events()), "scenario"))
    for key, value in {"TRACEGRAPH_NEO4J_URI": neo4j_settings.neo4j_uri,
                       "TRACEGRAPH_NEO4J_PASSWORD": neo4j_settings.neo4j_password}.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    out = CliRunner().invoke(app, ["trace", "backward", s.D1, "--json"])
    get_settings.cache_clear()
    assert json.loads(out.stdout) == client.get("/v1/trace/backward", params={"id": s.D1}).json()


DOCK = "urn:epc:id:sgln:0614141.00003.190"  # a dock of site 3 (SGLN extension 190)
GATE = "urn:epc:id:sgln:0614141.00004.7"  # a read point that master data puts at site 1


def _dock_history() -> list[dict]:
    from tests import epcis as b
    events = s.events()
    ship = b.ship([s.D1], 45, site=3, destination=4)
    del ship["bizLocation"]  # shipped from the dock: a readPoint, no bizLocation
    ship["readPoint"] = {"id": DOCK}
    seen = b.observe([s.D1], 46, site=None)
    seen["readPoint"] = {"id": GATE}
    return events + [ship, seen]


def _gate_master() -> list[dict]:
    return [{"type": "urn:epcglobal:epcis:vtype:ReadPoint", "vocabularyElementList": [
        {"id": GATE, "attributes": [{"id": "urn:epcglobal:cbv:mda#parentSite", "attribute": s.SITE[1]}]}]}]


def test_read_points_are_not_sites_but_belong_to_one(db):
    write_document(db, parse_document(document(_dock_history(), master=_gate_master()), "dock"))
    result = trace(db, s.D1, "backward")
    assert (DOCK in result.sites, GATE in result.sites, s.SITE[3] in result.sites, s.SITE[1] in result.sites,
            {DOCK, GATE} <= set(result.read_points)) == (False, False, True, True, True)


def test_only_shipping_destinations_are_sites(db):
    from tests import epcis as b
    odd = b.observe([s.D3], 70, site=2, biz_step="inspecting", destination=3)  # a destination on no shipment
    write_document(db, parse_document(document(s.events() + [odd]), "odd"))
    assert trace(db, s.C, "forward").sites == [s.SITE[2]]


def test_next_links_walk_the_pages_to_the_whole_answer(client):
    write_document(client.app.state.db, parse_document(document(s.events()), "scenario"))
    whole = client.get("/v1/trace/forward", params={"id": s.A}).json()
    serials, url = [], f"/v1/trace/forward?id={s.A}&limit=1"
    while url:
        page = client.get(url).json()
        serials += page["serials"]
        url = page["next"]
    assert (serials, whole["next"]) == (whole["serials"], None)


def test_a_page_size_of_zero_is_refused(client):
    response = client.get("/v1/trace/forward", params={"id": s.A, "limit": 0})
    assert (response.status_code, response.headers["content-type"]) == (422, "application/problem+json")


def test_a_streamed_trace_is_the_pages_joined_and_the_whole_answer(client):
    write_document(client.app.state.db, parse_document(document(s.events()), "scenario"))
    whole = client.get("/v1/trace/forward", params={"id": s.A}).json()
    streamed = client.get("/v1/trace/forward", params={"id": s.A, "limit": 1},
                          headers={"Accept": "application/x-ndjson"})
    lines = [json.loads(line) for line in streamed.text.splitlines()]
    pages, url = [], f"/v1/trace/forward?id={s.A}&limit=1"
    while url:
        pages.append(client.get(url).json())
        url = pages[-1]["next"]
    assert (streamed.headers["content-type"], len(lines) > 1) == ("application/x-ndjson", True)
    assert _joined(lines) == _joined(pages) == _joined([whole])


def _joined(pages: list[dict]) -> dict:
    out = {"serials": [], "current": {}, **{k: set() for k in ("lots", "containers", "sites", "read_points")}}
    for page in pages:
        out["serials"] += page["serials"]
        out["current"] |= page["current"]
        for key in ("lots", "containers", "sites", "read_points"):
            out[key] |= set(page[key])
    return out


def test_a_streamed_trace_of_an_unknown_identifier_is_a_problem_not_a_stream(client):
    response = client.get("/v1/trace/backward", params={"id": s.D1}, headers={"Accept": "application/x-ndjson"})
    assert (response.status_code, response.headers["content-type"]) == (404, "application/problem+json")




def test_a_page_of_a_big_trace_takes_memory_of_the_page_not_of_its_square(db):
    # Community's runtime copies the calling row into a subquery's rows: a page sorted after the
    # closure was collected buffered the whole item list in each row, (page x trace) entries,
    # 169 MB for 1,000 x 3,000 (a 10,000-serial page of a 42k trace ran out of transaction memory)
    lot, outputs = b.lgtin("BIG"), [b.sgtin(f"BIG{n:05d}") for n in range(1500)]
    write_document(db, parse_document(document([b.commission_lot(lot, 0, quantity=1),
                                                b.transform(1, input_lots=[lot], outputs=outputs)]), "big"))
    with db.driver.session(database=db.name) as session:
        summary = session.run("PROFILE " + query("trace/paged_forward"), epc=lot, limit=500, after=None,
                              version=state.VERSION).consume()
    assert summary.profile["args"]["GlobalMemory"] < 4 * 2**20


def test_the_pages_of_a_big_trace_are_its_serials_in_order(db):
    lot, outputs = b.lgtin("BIG"), [b.sgtin(f"BIG{n:05d}") for n in range(30)]
    write_document(db, parse_document(document([b.commission_lot(lot, 0, quantity=1),
                                                b.transform(1, input_lots=[lot], outputs=outputs)]), "big"))
    serials, cursor = [], None
    while True:
        found, cursor = trace_page(db, lot, "forward", limit=7, after=cursor)
        serials += found.serials
        if cursor is None:
            break
    assert serials == sorted(outputs) == trace(db, lot, "forward").serials
