"""Property: the current state the writer stores on each item (recalls.state) equals
the state recomputed from all events, whatever order and grouping the documents
arrive in (packing, unpacking, decommissioning, out-of-order events, declarations)."""
import random
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import schema
from loaders.epcis.document import parse_document
from tests import epcis as b
from tests.test_rules_property import history, lenient_quality  # noqa: F401 (fixture)
from tests.test_rules_support import load
from tracegraph.capture.writer import write_document
from tracegraph.recalls import state


def load_in_parts(db, seed: int, documents: int) -> list[datetime]:
    """An emptied store, then a messy history spread at random over `documents` loads; returns
    the moment after each load."""
    schema.reset(db)
    rng = random.Random(seed)
    parts = [[] for _ in range(documents)]
    for ev in history(rng):
        parts[rng.randrange(documents)].append(ev)
    after = []
    for n, part in enumerate(parts):
        if part:
            load(db, part, f"doc{n}")
            after.append(datetime.now(UTC))
    return after


def all_items(db) -> list[str]:
    return sorted(r["epc"] for r in db.driver.execute_query("MATCH (i:Item) RETURN i.epc AS epc").records)


def stored_and_recomputed(db) -> tuple[dict, dict]:
    items = all_items(db)
    return state.stored(db.read_columns, items), state.compute(db.read_columns, items, None)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), documents=st.integers(1, 4))
def test_stored_state_equals_recomputed(database, lenient_quality, seed, documents):  # noqa: F811
    load_in_parts(database, seed, documents)
    kept, recomputed = stored_and_recomputed(database)
    assert kept == recomputed
    assert stored_keys(database) == keys_of(database, recomputed)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1))
def test_one_walk_answers_as_where_and_item_places(database, lenient_quality, seed):  # noqa: F811
    """recall/item_now (what the writer stores, in one walk per item) against the two walks it
    replaced: recall/where (no as-of) and recall/item_places."""
    schema.reset(database)
    load(database, history(random.Random(seed)), "doc")
    items = all_items(database)
    assert state.current(database.read_columns, items)[:2] == (state.compute(database.read_columns, items, None),
                                                               state.places(database.read_columns, items))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), documents=st.integers(2, 4), pick=st.integers(0, 10_000))
def test_as_of_states_read_by_chunk_equal_those_read_item_by_item(database, lenient_quality, seed, documents,  # noqa: F811
                                                                   pick):
    """`compute` as of a moment (the stored state of an item nothing was known about since, else
    recall/where_as_of: each holder's packings and events read once for the chunk) against
    recall/where (item by item), as of any moment: between or after the loads (a packing,
    unpacking or declaration recorded later must stay out) or between the events' own times."""
    after = load_in_parts(database, seed, documents)
    items = all_items(database)
    moments = sorted({t.to_native() for r in database.driver.execute_query(
        "MATCH (e:Event) RETURN e.time AS time, e.recorded AS recorded").records for t in (r["time"], r["recorded"])}
                     | set(after))
    as_of = moments[pick % len(moments)]
    by_item = {epc: state.EMPTY for epc in items}
    by_item.update(state.from_where(database.read_columns("recall/where", epcs=items, as_of=as_of)))
    assert state.compute(database.read_columns, items, as_of) == by_item


def test_an_unpacking_recorded_later_leaves_the_packing_open_as_of_before(database):
    """Packed, the case shipped after a time the item was unpacked at, the unpacking recorded
    only in a later load: as of between the loads the item went with the case; now it did not."""
    schema.reset(database)
    item, case = b.sgtin("S1"), b.sscc(1)
    write_document(database, parse_document(b.document([
        b.transform(100, input_lots=[b.lgtin("RAW")], outputs=[item], lot_number="L1", site=1),
        b.pack(case, [item], 200, site=1), b.ship([case], 400, site=1, destination=2)]), "first"))
    between = datetime.now(UTC)
    write_document(database, parse_document(b.document([b.unpack(case, [item], 300, site=1)]), "later"))
    by_item = {}
    for as_of in (between, datetime.now(UTC)):
        by_item[as_of] = state.from_where(database.read_columns("recall/where", epcs=[item], as_of=as_of))[item]
        assert state.compute(database.read_columns, [item], as_of)[item] == by_item[as_of]
    assert [s["status"] for s in by_item.values()] == ["in_transit", "in_progress"]


def stored_keys(db) -> dict:
    return {r["epc"]: r["key"] for r in db.driver.execute_query(
        "MATCH (i:Item) RETURN i.epc AS epc, i.state_key AS key").records}


def keys_of(db, states: dict) -> dict:
    """`state_key` (ingest/item_state) as it should read for these states."""
    ids = {r["epc"]: (r["lot"] or "", r["gtin"] or "") for r in db.driver.execute_query(
        "MATCH (i:Item) RETURN i.epc AS epc, i.lot AS lot, i.gtin AS gtin").records}
    return {epc: "\x1f".join([s["site"] or "", s["status"], *ids[epc],
                              "".join(f"{x['ms']} {' '.join(x['destinations'])}\x1e" for x in s["shipments"])])
            for epc, s in states.items()}


def test_declaring_an_event_erroneous_refreshes_the_state(database):
    schema.reset(database)
    item, case = b.sgtin("S1"), b.sscc(1)
    shipping = b.ship([case], 300, site=1, destination=2)
    write_document(database, parse_document(b.document([
        b.transform(100, input_lots=[b.lgtin("RAW")], outputs=[item], lot_number="L1", site=1),
        b.pack(case, [item], 200, site=1), shipping]), "first"))
    before = state.stored(database.read_columns, [item])[item]["status"]
    declared = {**shipping, "errorDeclaration": {"declarationTime": b.at(400), "reason": "incorrect_data"}}
    write_document(database, parse_document(b.document([declared]), "correction"))
    after = state.stored(database.read_columns, [item])[item]["status"]
    assert (before, after) == ("in_transit", "in_progress")


def _declared(event: dict) -> dict:
    return {**event, "errorDeclaration": {"declarationTime": event["eventTime"], "reason": "incorrect_data"}}


def test_a_declaration_recorded_later_leaves_the_state_as_of_before_it(database):
    """Two items packed, one unpacked, the case shipped twice; a later load declares erroneous the
    first item's packing, the second's unpacking and the second shipment: now the first item went
    nowhere and the second went once; as of between the loads, the records as they stood then
    (the undone packing is a WAS_IN, the reopened one a new version known since, the shipment
    counts: ingest/declare_errors, trace/counts_as_of)."""
    schema.reset(database)
    item, other, case = b.sgtin("S1"), b.sgtin("S2"), b.sscc(1)
    packing, unpacking = b.pack(case, [item], 200, site=1), b.unpack(case, [other], 250, site=1)
    shipping = b.ship([case], 500, site=2, destination=3)
    write_document(database, parse_document(b.document([
        b.transform(100, input_lots=[b.lgtin("RAW")], outputs=[item, other], lot_number="L1", site=1),
        packing, b.pack(case, [other], 150, site=1), unpacking, b.ship([case], 400, site=1, destination=2), shipping,
    ]), "first"))
    between = datetime.now(UTC)
    undone = [_declared(e) for e in (packing, unpacking, shipping)]
    write_document(database, parse_document(b.document(undone), "later"))
    now = datetime.now(UTC)
    states = {}
    for as_of in (between, now):
        by_item = state.from_where(database.read_columns("recall/where", epcs=[item, other], as_of=as_of))
        assert state.compute(database.read_columns, [item, other], as_of) == by_item
        states[as_of] = {epc: (s["site"], len(s["shipments"])) for epc, s in by_item.items()}
    site = b.sgln
    assert states == {between: {item: (site(2), 2), other: (site(1), 0)},
                      now: {item: (site(1), 0), other: (site(1), 1)}}


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), documents=st.integers(2, 4))
def test_migration_0006_gives_stored_links_the_times_the_writers_give(database, lenient_quality, seed,  # noqa: F811
                                                                    documents):
    """A store from before links kept when they were known (`known`, `end_known`) gets, from
    migration 0006, the times the writers store, on messy histories loaded in parts."""
    load_in_parts(database, seed, documents)
    written = database.read("test/link_known")
    database.write("test/link_forget_known")
    database.run_statements("migrations/0006_link_known")
    assert database.read("test/link_known") == written


def test_an_as_of_after_the_last_record_reads_the_stored_state(database):
    """Two loads: as of after both, every state is the stored one (no item walked again); as of
    between them, only the items the second load bears on are walked, through their case."""
    schema.reset(database)
    item, other, case = b.sgtin("S1"), b.sgtin("S2"), b.sscc(1)
    write_document(database, parse_document(b.document([
        b.transform(100, input_lots=[b.lgtin("RAW")], outputs=[item, other], lot_number="L1", site=1),
        b.pack(case, [item], 200, site=1)]), "first"))
    between = datetime.now(UTC)
    write_document(database, parse_document(b.document([b.ship([case], 300, site=1, destination=2)]), "later"))
    walked = {}
    for as_of in (between, datetime.now(UTC)):
        calls = []

        def runner(name, **params):
            calls.append((name, params["epcs"]))
            return database.read_columns(name, **params)
        got = state.compute(runner, [item, other], as_of)
        assert got == state.from_where(database.read_columns("recall/where", epcs=[item, other], as_of=as_of))
        walked[as_of] = [epcs for name, epcs in calls if name == "recall/where_as_of"]
    assert list(walked.values()) == [[[item]], []]


def test_an_event_timed_after_the_as_of_moment_keeps_the_state_computed(database):
    """A shipment recorded now but timed a minute ahead: as of now the item has not gone yet, though
    nothing was recorded since (the stored state counts it: `state_known` is after its time)."""
    schema.reset(database)
    item = b.sgtin("S1")
    ahead = (datetime.now(UTC) + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    write_document(database, parse_document(b.document([
        b.transform(100, input_lots=[b.lgtin("RAW")], outputs=[item], lot_number="L1", site=1),
        {**b.ship([item], 300, site=1, destination=2), "eventTime": ahead}]), "first"))
    as_of = datetime.now(UTC)
    statuses = (state.stored(database.read_columns, [item])[item]["status"],
                state.compute(database.read_columns, [item], as_of)[item]["status"])
    assert statuses == ("in_transit", "active")
