"""Genealogy trees and graph views on the hand-checked scenario, against the oracle."""
import networkx as nx
import pytest

from core.errors import NotFound
from loaders.epcis.document import parse_document
from tests import epcis as b
from tests import scenario as s
from tests.oracle import Oracle
from tracegraph.capture.writer import write_document
from tracegraph.genealogy import service


@pytest.fixture
def loaded(db):
    write_document(db, parse_document(b.document(s.events()), "scenario"))
    return db


@pytest.fixture
def api(scenario_api):
    return scenario_api


@pytest.mark.parametrize("root", [s.D1, s.D2, s.D3, s.S1, s.FG1])
def test_backward_nodes_equal_the_oracle_ancestors(loaded, root):
    got = {n.epc for n in service.genealogy(loaded, root, "backward", 32, 5000).nodes}
    assert got == {root} | nx.ancestors(Oracle(s.events()).genealogy, root)


@pytest.mark.parametrize("root", [s.A, s.R, s.B, s.S1])
def test_forward_nodes_equal_the_oracle_descendants(loaded, root):
    got = {n.epc for n in service.genealogy(loaded, root, "forward", 32, 5000).nodes}
    assert got == {root} | nx.descendants(Oracle(s.events()).genealogy, root)


def test_backward_edges_equal_the_oracle_subgraph(loaded):
    oracle = Oracle(s.events()).genealogy
    keep = {s.D1} | nx.ancestors(oracle, s.D1)
    got = {(e.source, e.target) for e in service.genealogy(loaded, s.D1, "backward", 32, 5000).edges}
    assert got == set(oracle.subgraph(keep).edges)


def test_depth_limit_is_flagged_truncated(loaded):
    result = service.genealogy(loaded, s.D1, "backward", 1, 5000)
    assert (max(n.depth for n in result.nodes), result.truncated) == (1, True)


def test_full_depth_is_not_truncated(loaded):
    assert service.genealogy(loaded, s.D1, "backward", 32, 5000).truncated is False


def test_size_limit_is_flagged_truncated(loaded):
    result = service.graph(loaded, s.D1, "backward", 32, 3)
    assert (len(result.nodes), result.truncated) == (3, True)


@pytest.mark.parametrize("depth", [1, 2])
def test_a_size_cut_on_the_last_level_is_flagged_truncated(db, depth):
    """A lot of three serials (the leaves), asked for two nodes: the size limit cuts the last level
    the depth allows; nothing lies beyond it, and the answer is still cut short."""
    items = [b.sgtin(f"LEAF{n}") for n in range(3)]
    write_document(db, parse_document(b.document([b.transform(1, input_lots=[b.lgtin("RAW")], outputs=items,
                                                               lot_number="LEAVES")]), "leaves"))
    result = service.genealogy(db, b.lgtin("LEAVES", "812345"), "forward", depth, 2)
    assert (len(result.nodes), result.truncated) == (2, True)


def test_production_site_of_each_node(loaded):
    made = {n.epc: n.made.site for n in service.genealogy(loaded, s.D1, "backward", 32, 5000).nodes if n.made}
    assert (made[s.D1], made[s.B], made[s.R]) == (s.SITE[2], s.SITE[1], s.SITE[1])


def test_inspections_and_certificates_are_listed(db):
    item = b.sgtin("INS")
    check = b.observe([item], 5, site=2, biz_step="inspecting", disposition="active")
    check["certificationInfo"] = "https://cert.example.com/123"
    write_document(db, parse_document(b.document([b.transform(1, input_lots=[b.lgtin("RAW")], outputs=[item]),
                                                  check]), "doc"))
    node = service.genealogy(db, item, "backward", 6, 100).nodes[0]
    assert [c.certifications for c in node.inspections] == [[{"value": "https://cert.example.com/123"}]]


@pytest.fixture
def inspected(db):
    """A lot made into three items; one inspection covers two of them, a later one all three."""
    items = [b.sgtin(f"BATCH{k}") for k in range(3)]
    write_document(db, parse_document(b.document([
        b.transform(1, input_lots=[b.lgtin("RAW")], outputs=items, site=2),
        b.observe(items, 9, site=3, biz_step="inspecting", disposition="conformant"),
        b.observe(items[:2], 5, site=2, biz_step="inspecting", disposition="active")]), "doc"))
    return db, items


@pytest.mark.parametrize("max_nodes", [100, 2])  # the whole closure at once, and walked level by level
def test_an_inspection_of_a_batch_is_listed_on_each_node_in_time_order(inspected, max_nodes):
    db, items = inspected
    nodes = {n.epc: n for n in service.genealogy(db, b.lgtin("RAW"), "forward", 6, max_nodes).nodes}
    got = {epc: [(c.disposition, c.site) for c in nodes[epc].inspections] for epc in items if epc in nodes}
    first, last = ("active", b.sgln(2)), ("conformant", b.sgln(3))
    want = {items[0]: [first, last], items[1]: [first, last], items[2]: [last]}
    assert got == {epc: want[epc] for epc in got}


def _of_lot(lot: str, minutes: float, biz_step: str, epcs=()) -> dict:
    ev = b.observe(list(epcs), minutes, site=3, biz_step=biz_step)
    ev["quantityList"] = [{"epcClass": lot, "quantity": 1}]
    return ev


@pytest.fixture
def lot_checked(db):
    """An item made from a lot (made from another) that other events took from too (outside the
    item's genealogy); the lot inspected, certified on receipt, and inspected again with the item."""
    item, lot = b.sgtin("CHK"), b.lgtin("CHKLOT")
    made = b.transform(1, input_lots=[b.lgtin("CHKRAW")], output_lots=[lot])
    checks = [_of_lot(lot, 3, "inspecting"), _of_lot(lot, 4, "receiving"), _of_lot(lot, 8, "inspecting", [item])]
    checks[1]["certificationInfo"] = "https://cert.example.com/lot"
    write_document(db, parse_document(b.document([
        made, b.transform(2, input_lots=[lot], outputs=[item]), *checks,
        *(b.transform(5 + k / 10, input_lots=[lot], outputs=[b.sgtin(f"ELSE{k}")]) for k in range(3))]), "doc"))
    return db, item, lot, made["eventID"], [c["eventID"] for c in checks]


# backward: the lot's events kept before the grouping (genealogy/details `upstream`); forward: after
@pytest.mark.parametrize(("direction", "max_nodes"), [("backward", 100), ("backward", 2), ("forward", 100),
                                                      ("forward", 2)])  # the whole closure, or level by level
def test_a_lot_shows_its_making_event_and_checks_not_the_events_that_took_from_it(lot_checked, direction,
                                                                                  max_nodes):
    db, item, lot, made, checks = lot_checked
    nodes = {n.epc: n for n in service.genealogy(db, item if direction == "backward" else lot, direction, 6,
                                                 max_nodes).nodes}
    assert (nodes[lot].made.event_id, [c.event_id for c in nodes[lot].inspections]) == (made, checks)
    assert [c.certifications for c in nodes[lot].inspections] == [[], [{"value": "https://cert.example.com/lot"}], []]
    if item in nodes:
        assert [c.event_id for c in nodes[item].inspections] == checks[2:]


def _made_at(db, read_point: str | None, site: int | None) -> dict:
    item = b.sgtin("LINE")
    made = b.transform(1, input_lots=[b.lgtin("RAW")], outputs=[item])
    made.pop("bizLocation")
    if site is not None:
        made["bizLocation"] = {"id": b.sgln(site)}
    if read_point is not None:
        made["readPoint"] = {"id": read_point}
    write_document(db, parse_document(b.document([made]), "doc"))
    node = service.genealogy(db, item, "backward", 6, 100).nodes[0]
    return {"site": node.made.site, "line": node.made.line}


@pytest.mark.parametrize(("read_point", "site", "line"), [
    (b.sgln(7), 2, b.sgln(7)),  # a line of its own
    (b.sgln(2), 2, None),  # the site itself: no line
    (None, 2, None),
    (b.sgln(7), None, b.sgln(7)),  # no site: the read point is the line
])
def test_making_line_is_shown_when_it_differs_from_the_site(db, read_point, site, line):
    assert _made_at(db, read_point, site) == {"site": b.sgln(site) if site else None, "line": line}


def test_a_making_event_that_did_not_observe_its_node_is_still_shown(db):
    item, other = b.sgtin("MADE"), b.sgtin("ELSEWHERE")
    elsewhere = b.observe([other], 7, site=3, biz_step="inspecting")
    write_document(db, parse_document(b.document([b.transform(1, input_lots=[b.lgtin("RAW")], outputs=[item]),
                                                  elsewhere]), "doc"))
    db.write("test/node_set_made", epc=item, event_id=elsewhere["eventID"])
    made = service.genealogy(db, item, "backward", 6, 100).nodes[0].made
    assert (made.event_id, made.site) == (elsewhere["eventID"], b.sgln(3))


def test_cycle_is_reported(db):
    x, y = b.sgtin("X"), b.sgtin("Y")
    write_document(db, parse_document(b.document([b.transform(1, input_lots=[b.lgtin("RAW")], outputs=[x]),
                                                  b.transform(2, inputs=[x], outputs=[y]),
                                                  b.transform(3, inputs=[y], outputs=[x])]), "doc"))
    assert [sorted(c) for c in service.genealogy(db, x, "forward", 32, 100).cycles] == [sorted([x, y])]


def test_unknown_id_is_not_found(loaded):
    with pytest.raises(NotFound):
        service.genealogy(loaded, b.sgtin("NOPE"), "backward", 6, 100)


def test_api_graph_view(api):
    body = api.get(f"/v1/genealogy/{s.D1}/graph", params={"direction": "backward", "depth": 1}).json()
    assert (sorted(n["id"] for n in body["nodes"]), body["truncated"]) == \
        (sorted([s.D1, s.S1, s.B, s.FG1]), True)


def test_api_bad_direction_is_422_problem(api):
    r = api.get(f"/v1/genealogy/{s.D1}", params={"direction": "sideways"})
    assert (r.status_code, r.headers["content-type"], r.json()["field"]) == (422, "application/problem+json",
                                                                             "direction")
