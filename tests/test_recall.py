"""Recall scope on the hand-checked scenario (tests/scenario.py) and the edge cases
named in issue #4: cycles, an item in two containers, events out of order, error declarations."""
import csv
import io
import json
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from core.errors import NotFound
from loaders.epcis.document import parse_document
from tests import epcis as b
from tests import scenario as s
from tests.oracle import Oracle
from tracegraph.capture.writer import write_document
from tracegraph.recalls import service, state
from tracegraph.recalls.models import ScopeRequest, StartPoint


def load(db, events, name="doc"):
    write_document(db, parse_document(b.document(events), name))


def scope(db, *starts, **options):
    return service.scope(db, ScopeRequest(starts=[{"kind": k, "id": e} for k, e in starts], **options))


@pytest.fixture
def loaded(db):
    load(db, s.events(), "scenario")
    return db


@pytest.fixture
def api(client):
    """The API client as an admin (authentication is issue #6's; here we test recalls)."""
    from api.auth import current_principal
    from tracegraph.security.models import Principal
    client.app.dependency_overrides[current_principal] = lambda: Principal(id="tester", roles=frozenset({"admin"}))
    load(client.app.state.db, s.events(), "scenario")
    yield client
    client.app.dependency_overrides.clear()


def test_component_lot_reaches_subassemblies_and_devices(loaded):
    assert [r.epc for r in scope(loaded, ("lot", s.A)).serials] == sorted([s.D1, s.D2, s.S1, s.S2])


def test_summary_counts_by_status(loaded):
    by_status = scope(loaded, ("lot", s.A)).summary.by_status
    assert {k.value: v for k, v in by_status.items() if v} == {"in_stock": 3, "used_decommissioned": 1}


def test_exclude_decommissioned(loaded):
    assert s.D2 not in [r.epc for r in scope(loaded, ("lot", s.A), include_decommissioned=False).serials]


def test_derivation_path_runs_from_the_start(loaded):
    rows = {r.epc: r.path for r in scope(loaded, ("lot", s.A)).serials}
    assert rows[s.D1] == [s.A, s.S1, s.D1]


def test_depth_limit_stops_at_subassemblies(loaded):
    assert [r.epc for r in scope(loaded, ("lot", s.A), max_depth=1).serials] == sorted([s.S1, s.S2])


def test_container_resolves_to_contents_when_shipped(loaded):
    assert [r.epc for r in scope(loaded, ("container", s.PALLET)).serials] == sorted([s.D1, s.D2])


def test_union_of_starts(loaded):
    assert [r.epc for r in scope(loaded, ("serial", s.D3), ("container", s.CASE)).serials] == \
        sorted([s.D1, s.D2, s.D3])


def test_product_window_selects_by_commissioning_time(loaded):
    result = service.scope(loaded, ScopeRequest(starts=[{"kind": "product", "id": "80614141123458",
                                                         "to": b.at(10.7)}]))
    assert [r.epc for r in result.serials] == sorted([s.D1, s.D2])


def test_site_window_selects_what_was_made_there(loaded):
    result = service.scope(loaded, ScopeRequest(starts=[{"kind": "site", "id": s.SITE[2],
                                                         "from": b.at(10.7), "to": b.at(11)}]))
    assert [r.epc for r in result.serials] == [s.D3]


def test_consignees_with_quantity_and_last_shipment(loaded):
    people = {c.site: (c.quantity, c.last_shipment.isoformat()) for c in scope(loaded, ("lot", s.A)).consignees}
    assert people == {s.SITE[3]: (2, "2025-01-01T00:22:00+00:00"), s.SITE[4]: (2, "2025-01-01T00:40:00+00:00")}


def test_unknown_start_is_not_found_with_its_field(loaded):
    with pytest.raises(NotFound) as err:
        scope(loaded, ("lot", s.A), ("serial", b.sgtin("NOPE")))
    assert err.value.field == "starts[1].id"


def test_saved_scope_serials(loaded):
    result = scope(loaded, ("lot", s.A), save=True)
    assert loaded.read_tx(lambda tx: service.saved_scope_serials(tx, result.scope_id)) == \
        sorted([s.D1, s.D2, s.S1, s.S2])


def test_saved_scope_unknown_id_is_not_found(loaded):
    with pytest.raises(NotFound):
        loaded.read_tx(lambda tx: service.saved_scope_serials(tx, "no-such-scope"))


# ---- edge cases ----

def test_cycle_in_bad_data_is_reported_not_followed(db):
    x, y = b.sgtin("X"), b.sgtin("Y")
    load(db, [b.transform(1, input_lots=[b.lgtin("RAW")], outputs=[x]), b.transform(2, inputs=[x], outputs=[y]),
              b.transform(3, inputs=[y], outputs=[x])])
    result = scope(db, ("serial", x))
    assert ([r.epc for r in result.serials], [sorted(c) for c in result.cycles]) == (sorted([x, y]), [sorted([x, y])])


def test_item_in_two_containers_at_once_is_in_both_scopes(db):
    item = b.sgtin("TWO")
    load(db, [b.transform(1, input_lots=[b.lgtin("RAW")], outputs=[item]),
              b.pack(b.sscc(1), [item], 2), b.pack(b.sscc(2), [item], 3),
              b.ship([b.sscc(2)], 4, site=2, destination=3)])
    assert ([r.epc for r in scope(db, ("container", b.sscc(1))).serials],
            [r.epc for r in scope(db, ("container", b.sscc(2))).serials]) == ([item], [item])


def test_item_in_two_containers_takes_the_latest_event_of_either(db):
    item = b.sgtin("TWO")
    load(db, [b.transform(1, input_lots=[b.lgtin("RAW")], outputs=[item]),
              b.pack(b.sscc(1), [item], 2), b.pack(b.sscc(2), [item], 3),
              b.ship([b.sscc(2)], 4, site=2, destination=3)])
    assert scope(db, ("serial", item)).summary.by_status["in_transit"] == 1


def test_events_out_of_order_across_documents_equal_the_oracle(db):
    history = s.events()
    late, early = history[9:], history[:9]  # the shipping half arrives first
    load(db, late, "late")
    load(db, early, "early")
    result = service.compute(db, ScopeRequest(starts=[{"kind": "lot", "id": s.A}]))
    want = Oracle(history).scope([("lot", s.A)])
    assert {e: result.bucket_of(e).value for e in result.serials} == want["status"]


def test_as_of_hides_records_made_later(db):
    load(db, s.events()[:9], "first")
    between = datetime.now(UTC)
    load(db, s.events()[9:], "second")  # happened long ago, recorded only now
    result = scope(db, ("lot", s.A), as_of=between)
    assert {r.epc: r.disposition for r in result.serials} == {s.S1: "active", s.S2: "active",
                                                              s.D1: "active", s.D2: "active"}


def test_as_of_binds_a_serial_only_to_the_lots_bound_by_then(db):
    """A serial bound to lot LA, and later recorded (a data error) bound to LB as well: as of a
    moment between the two records, only LA holds it (the binding's own commissioning event
    counts, not whichever event commissioned the serial first)."""
    from tests.test_rules_support import lenient_binding
    item = b.sgtin("TWOLOTS")
    with lenient_binding():
        load(db, [b.transform(1, input_lots=[b.lgtin("RAW")], outputs=[item], lot_number="LA")], "first lot")
        between = datetime.now(UTC)
        load(db, [b.transform(10, input_lots=[b.lgtin("RAW2")], outputs=[item], lot_number="LB")], "second lot")
    held = {lot: [r.epc for r in scope(db, ("lot", b.lgtin(lot, "812345")), as_of=between).serials]
            for lot in ("LA", "LB")}
    assert held == {"LA": [item], "LB": []}


def test_as_of_a_binding_stored_before_its_events_were_kept_counts_by_the_commissioning(db):
    """A lot binding stored before HAS_ITEM kept its commissioning events (`events` null) and when
    it was known: as of a moment, it counts once the item's first commissioning had happened and
    been recorded (migration 0006 sets its `known` so)."""
    item = b.sgtin("OLDBIND")
    load(db, [b.transform(1, input_lots=[b.lgtin("RAW")], outputs=[item], lot_number="LA")], "old")
    db.driver.execute_query("MATCH (:Lot)-[h:HAS_ITEM]->(:Item {epc: $epc}) REMOVE h.events, h.known", epc=item)
    db.run_statements("migrations/0006_link_known")
    held = [r.epc for r in scope(db, ("lot", b.lgtin("LA", "812345")), as_of=datetime.now(UTC)).serials]
    assert held == [item]


def test_as_of_a_product_start_holds_only_what_was_known_made_by_then(db):
    """A product start as of a moment holds the serials and lots whose commissioning had happened
    and been recorded by then: one recorded later, though made earlier, is not in it."""
    known, late = b.sgtin("KNOWN"), b.sgtin("LATE")
    load(db, [b.transform(1, input_lots=[b.lgtin("RAW")], outputs=[known], output_lots=[b.lgtin("L1", "812345")])],
         "known")
    between = datetime.now(UTC)
    load(db, [b.transform(2, input_lots=[b.lgtin("RAW")], outputs=[late], output_lots=[b.lgtin("L2", "812345")])],
         "late")  # made at minute 2, long before `between`; recorded only now
    product = StartPoint(kind="product", id=f"urn:epc:idpat:sgtin:{b.CP}.812345.*")
    rows = db.read_tx(lambda tx: service.resolve_starts(db, tx, [product], between))
    assert sorted(r["epc"] for r in rows) == sorted([known, b.lgtin("L1", "812345")])


PACKED, REPACKED, LATE_BOX, EARLY_BOX = b.sgtin("PACKED"), b.sgtin("REPACKED"), b.sscc(4242), b.sscc(4243)


@pytest.fixture
def packed_late(db):
    """PACKED and REPACKED are packed in EARLY_BOX, which ships at minute 6; later records (of
    earlier events: minutes 4 and 5) pack PACKED into LATE_BOX too and take REPACKED out of
    EARLY_BOX before the shipment. Returns the moment between the two loads."""
    load(db, [b.transform(1, input_lots=[b.lgtin("RAW")], outputs=[PACKED, REPACKED], lot_number="BOXED"),
              b.pack(EARLY_BOX, [PACKED, REPACKED], 3), b.ship([EARLY_BOX], 6, site=2, destination=3)], "first")
    between = datetime.now(UTC)
    load(db, [b.pack(LATE_BOX, [PACKED], 4), b.unpack(EARLY_BOX, [REPACKED], 5)], "recorded later")
    return between


def test_as_of_a_container_start_holds_only_the_packing_known_then(db, packed_late):
    def held(box):
        rows = db.read_tx(lambda tx: service.resolve_starts(db, tx, [StartPoint(kind="container", id=box)],
                                                            packed_late))
        return sorted(r["epc"] for r in rows)
    assert (held(LATE_BOX), held(EARLY_BOX)) == ([], sorted([PACKED, REPACKED]))


def test_as_of_a_serial_is_in_the_container_known_then(db, packed_late):
    result = scope(db, ("lot", b.lgtin("BOXED", "812345")), as_of=packed_late)
    assert {r.epc: r.container for r in result.serials} == {PACKED: EARLY_BOX, REPACKED: EARLY_BOX}


def test_as_of_a_serial_went_where_its_container_known_then_went(db, packed_late):
    """The shipment of EARLY_BOX carried REPACKED as known then (its unpacking recorded later);
    now it did not."""
    def dispositions(as_of):
        result = scope(db, ("lot", b.lgtin("BOXED", "812345")), as_of=as_of)
        return {r.epc: r.disposition for r in result.serials}
    assert (dispositions(packed_late), dispositions(datetime.now(UTC))) == \
        ({PACKED: "in_transit", REPACKED: "in_transit"}, {PACKED: "in_transit", REPACKED: "in_progress"})


def test_error_declared_shipment_no_longer_counts(db):
    """Needs the ingest's errorDeclaration handling (issue: EPCIS conformance)."""
    item = b.sgtin("ERR")
    wrong = b.ship([item], 5, site=2, destination=3, event_id="urn:uuid:00000000-0000-4000-8000-0000000e0001")
    load(db, [b.transform(1, input_lots=[b.lgtin("RAW")], outputs=[item]), wrong], "first")
    declared = dict(wrong, errorDeclaration={"declarationTime": b.at(6), "reason": "incorrect_data"})
    load(db, [declared], "correction")
    result = scope(db, ("serial", item))
    assert (result.summary.consignees, result.serials[0].disposition) == (0, "active")


# ---- API and exports ----

def test_api_scope_and_saved_scope(api):
    body = api.post("/v1/recall-scope", json={"starts": [{"kind": "lot", "id": s.A}], "save": True}).json()
    saved = api.get(f"/v1/recall-scope/{body['scope_id']}").json()
    assert saved["serials"] == sorted([s.D1, s.D2, s.S1, s.S2])


def test_api_window_on_a_lot_is_a_precise_422(api):
    r = api.post("/v1/recall-scope", json={"starts": [{"kind": "lot", "id": s.A, "from": "2025-01-01T00:00:00Z"}]})
    assert (r.status_code, r.headers["content-type"], r.json()["field"]) == \
        (422, "application/problem+json", "starts.0")


def test_api_last_page_number_is_an_empty_page_and_one_past_it_a_precise_422(api):
    """The body's page is bounded (MAX_PAGE) as its schema says: past it, a 422 naming `page`,
    never the JSON codec's 400 for numbers above 1e15 (schemathesis sent 3.7e30)."""
    from tracegraph.recalls.models import MAX_PAGE
    starts = [{"kind": "lot", "id": s.A}]
    last = api.post("/v1/recall-scope", json={"starts": starts, "page": MAX_PAGE})
    past = api.post("/v1/recall-scope/export", json={"starts": starts, "page": MAX_PAGE + 1})
    assert (last.status_code, last.json()["serials"], past.status_code, past.json()["field"]) == \
        (200, [], 422, "page")


def test_api_unknown_start_is_404_problem(api):
    r = api.post("/v1/recall-scope", json={"starts": [{"kind": "container", "id": b.sscc(777)}]})
    assert (r.status_code, r.json()["type"], r.json()["field"]) == \
        (404, "https://tracegraph.dev/problems/not-found", "starts[0].id")


def test_csv_export_has_every_serial(api):
    r = api.post("/v1/recall-scope/export", params={"format": "csv"}, json={"starts": [{"kind": "lot", "id": s.A}]})
    assert sorted(row["epc"] for row in csv.DictReader(io.StringIO(r.text))) == sorted([s.D1, s.D2, s.S1, s.S2])


def test_consignee_export_is_one_row_per_consignee(api):
    r = api.post("/v1/recall-scope/export", params={"format": "consignees"},
                 json={"starts": [{"kind": "lot", "id": s.A}]})
    assert {row["site"]: row["quantity"] for row in csv.DictReader(io.StringIO(r.text))} == \
        {s.SITE[3]: "2", s.SITE[4]: "2"}


def test_json_export_parses_and_has_summary_and_serials(api):
    r = api.post("/v1/recall-scope/export", params={"format": "json"}, json={"starts": [{"kind": "lot", "id": s.A}]})
    body = json.loads(r.content)
    assert (body["summary"]["serials"], len(body["serials"])) == (4, 4)


def test_xlsx_export_has_a_sheet_per_view(api):
    r = api.post("/v1/recall-scope/export", params={"format": "xlsx"}, json={"starts": [{"kind": "lot", "id": s.A}]})
    book = load_workbook(io.BytesIO(r.content))
    assert (book.sheetnames, book["Serials"].max_row) == (["Summary", "Serials", "Consignees", "Aggregations"], 5)


def test_cli_scope_json_matches_the_service(loaded, cli):
    out = cli("scope", "--lot", s.A, "--json")
    assert [r["epc"] for r in json.loads(out.stdout)["serials"]] == sorted([s.D1, s.D2, s.S1, s.S2])


def test_cli_bad_time_is_one_clear_error(loaded, cli):
    out = cli("scope", "--lot", s.A, "--as-of", "yesterday")
    assert (out.exit_code, type(out.exception).__name__) == (1, "InvalidScopeRequest")


def test_saving_a_scope_needs_recalls_write(api):
    from api.auth import current_principal
    from tracegraph.security.models import Principal
    api.app.dependency_overrides[current_principal] = lambda: Principal(id="inv", roles=frozenset({"investigator"}))
    r = api.post("/v1/recall-scope", json={"starts": [{"kind": "lot", "id": s.A}], "save": True})
    assert (r.status_code, r.json()["field"]) == (403, "save")


def test_counted_in_neo4j_equals_counted_in_python(loaded):
    request = ScopeRequest(starts=[{"kind": "lot", "id": s.A}, {"kind": "lot", "id": s.B}])
    t = service.tally(service.compute(loaded, request))
    people = service.consignees(t)
    fast = service.overview(loaded, request)
    assert (fast.summary, fast.aggregations, fast.consignees) == \
        (service.summary(t, len(people)), service.aggregations(t), people)


def test_items_without_stored_state_are_computed_from_events(loaded):
    want = scope(loaded, ("lot", s.A))
    loaded.driver.execute_query("MATCH (i:Item) REMOVE i.state_status, i.state_key")
    request = ScopeRequest(starts=[{"kind": "lot", "id": s.A}])
    assert (service.overview(loaded, request), scope(loaded, ("lot", s.A))) == (None, want)


def test_refresh_state_restores_the_counted_answer(loaded):
    request = ScopeRequest(starts=[{"kind": "lot", "id": s.A}])
    want = service.overview(loaded, request)
    loaded.driver.execute_query("MATCH (i:Item) REMOVE i.state_key")
    state.backfill(loaded, state.pending(loaded))
    assert service.overview(loaded, request) == want


def test_cli_refresh_state_counts_the_items_it_stored(loaded, cli):
    loaded.driver.execute_query("MATCH (i:Item) WHERE i.epc IN $e REMOVE i.state_key", e=[s.D1, s.D2])
    out = cli("db", "refresh-state")
    assert out.stdout.strip().splitlines()[-1] == "stored the state of 2 items"


# starts of every kind, several at once, with paging and the include options
COUNTED = [
    ([("lot", s.A)], {}),
    ([("lot", s.A), ("lot", s.R)], {"page_size": 2, "page": 2}),
    ([("serial", s.S1), ("lot", s.C)], {"include_decommissioned": False}),
    ([("container", s.PALLET), ("serial", s.D3)], {}),
    ([("lot", s.R), ("product", "80614141123458")], {"include_returned": False}),
]


# the page's paths by one walk over a small closure's links, and by a search per serial (a closure
# bigger than PATHS_BY_LINKS nodes per page serial; 0: always)
PATH_WAYS = pytest.mark.parametrize("by_links", [service.PATHS_BY_LINKS, 0], ids=["links", "search"])


@PATH_WAYS
@pytest.mark.parametrize("starts, options", COUNTED)
def test_one_statement_answer_equals_the_breadth_first_walk(loaded, starts, options, by_links, monkeypatch):
    """max_depth 32 (the bound) reaches what no limit reaches, by the per-level Python walk."""
    monkeypatch.setattr(service, "PATHS_BY_LINKS", by_links)
    request = ScopeRequest(starts=[{"kind": k, "id": e} for k, e in starts], **options)
    assert service.overview(loaded, request) == scope(loaded, *starts, max_depth=32, **options)


@PATH_WAYS
@pytest.mark.parametrize("starts, options", COUNTED)
def test_one_statement_answer_as_of_equals_the_breadth_first_walk(loaded, starts, options, by_links, monkeypatch):
    """As of a moment after the last record, every stored state is the state then: the scope is
    counted in one statement (recall/fast_scope_as_of), the same answer as the walk's, paths too."""
    monkeypatch.setattr(service, "PATHS_BY_LINKS", by_links)
    as_of = datetime.now(UTC)
    request = ScopeRequest(starts=[{"kind": k, "id": e} for k, e in starts], as_of=as_of, **options)
    counted = service.overview(loaded, request)
    assert counted is not None
    assert counted == scope(loaded, *starts, max_depth=32, as_of=as_of, **options)


@PATH_WAYS
@pytest.mark.parametrize("as_of", [False, True], ids=["now", "as of"])
def test_of_several_starts_the_nearest_gives_the_path(db, by_links, as_of, monkeypatch):
    """The raw lot made A1 and A2, which made B1, which made S1. From the raw lot and A1 together,
    S1 is two steps from A1 and three from the lot: its path is the two, one row per serial
    (a search per start found both paths, and the page kept either)."""
    monkeypatch.setattr(service, "PATHS_BY_LINKS", by_links)
    raw, a1, a2, b1, item = b.lgtin("RAW"), b.sgtin("A1"), b.sgtin("A2"), b.sgtin("B1"), b.sgtin("S1")
    load(db, [b.transform(1, input_lots=[raw], outputs=[a1, a2], lot_number="LA", site=1),
              b.transform(2, inputs=[a1, a2], outputs=[b1], lot_number="LB", site=1),
              b.transform(3, inputs=[b1], outputs=[item], lot_number="LX", site=1)])
    request = ScopeRequest(starts=[{"kind": "lot", "id": raw}, {"kind": "serial", "id": a1}],
                           as_of=datetime.now(UTC) if as_of else None)
    counted = service.overview(db, request)
    assert {r.epc: r.path for r in counted.serials} == {
        a1: [a1], a2: [raw, a2], b1: [a1, b1], item: [a1, b1, item]}


def test_a_link_recorded_later_stays_out_of_the_counted_scope_as_of_before(db):
    """The raw lot went into S1, then (recorded later) into S2 too. As of between the records
    the scope is counted in one statement (S1's stored state was its state then) and reaches
    S1 alone, as the walk does; now it reaches both."""
    first, second, raw = b.sgtin("S1"), b.sgtin("S2"), b.lgtin("RAW")
    load(db, [b.transform(1, input_lots=[raw], outputs=[first], lot_number="L1", site=1)], "first")
    between = datetime.now(UTC)
    load(db, [b.transform(2, input_lots=[raw], outputs=[second], lot_number="L2", site=1)], "later")
    counted = {as_of: service.overview(db, ScopeRequest(starts=[{"kind": "lot", "id": raw}], as_of=as_of))
               for as_of in (between, datetime.now(UTC))}
    assert [[r.epc for r in c.serials] for c in counted.values()] == [[first], [first, second]]
    assert counted[between] == scope(db, ("lot", raw), as_of=between, max_depth=32)


def test_a_shorter_path_recorded_later_is_not_the_path_as_of_before(db):
    """S1 was made from the raw lot in three steps; recorded later, the raw lot went into S1's
    lot too, a path of two. As of between the records S1's path is the three steps (today's
    shortest uses a link not known then); today it is the two."""
    raw, one, two, item = b.lgtin("RAW"), b.sgtin("A1"), b.sgtin("B1"), b.sgtin("S1")
    load(db, [b.transform(1, input_lots=[raw], outputs=[one], lot_number="LA", site=1),
              b.transform(2, inputs=[one], outputs=[two], lot_number="LB", site=1),
              b.transform(3, inputs=[two], outputs=[item], lot_number="LX", site=1)], "first")
    between = datetime.now(UTC)
    load(db, [b.transform(4, input_lots=[raw], output_lots=[b.lgtin("LX", "812345")], site=1)], "later")
    counted = {as_of: service.overview(db, ScopeRequest(starts=[{"kind": "lot", "id": raw}], as_of=as_of))
               for as_of in (between, datetime.now(UTC))}
    assert [{r.epc: r.path for r in c.serials}[item] for c in counted.values()] == \
        [[raw, one, two, item], [raw, b.lgtin("LX", "812345"), item]]
    assert counted[between] == scope(db, ("lot", raw), as_of=between, max_depth=32)


def test_an_item_whose_stored_state_came_later_is_walked_as_of_before(db):
    """As of a moment before the record that changed an item's stored state, that state is not
    the item's state then: the scope is not counted from it but walked (the same answer)."""
    item = b.sgtin("S1")
    load(db, [b.transform(1, input_lots=[b.lgtin("RAW")], outputs=[item], lot_number="L1", site=1)], "first")
    between = datetime.now(UTC)
    load(db, [b.ship([item], 2, site=1, destination=2)], "later")
    request = ScopeRequest(starts=[{"kind": "lot", "id": b.lgtin("RAW")}], as_of=between)
    walked = scope(db, ("lot", b.lgtin("RAW")), as_of=between)
    assert (service.overview(db, request), walked.summary.by_status["in_stock"]) == (None, 1)
