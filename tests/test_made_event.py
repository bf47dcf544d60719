"""Objects and lots carry their making event (`made_event`, `made_time`: the earliest event
naming them as an output or commissioning them, ties to the smaller event id), written by the
streaming ingest and the bulk loader and set on older stores by migration 0004, so the
genealogy reads one event per node instead of every event that saw it."""
from __future__ import annotations

from datetime import datetime, timedelta

from loaders.epcis.document import parse_document
from tests import epcis as b
from tracegraph.capture.writer import write_document
from tracegraph.genealogy import service

LOT, ITEM, OTHER, CASE = b.lgtin("MADE1"), b.sgtin("MADE1"), b.sgtin("MADE2"), b.sscc(7001)
E = "urn:uuid:00000000-0000-4000-8000-0000000d00{:02d}".format
LOT_MADE, ITEM_MADE, ITEM_EARLIER, TIE_LOW, TIE_HIGH, PACKED = (E(i) for i in range(1, 7))
WANT = {LOT: (LOT_MADE, b.T0 + timedelta(minutes=1)), ITEM: (ITEM_EARLIER, b.T0 + timedelta(minutes=4)),
        OTHER: (TIE_LOW, b.T0 + timedelta(minutes=6)), CASE: (None, None)}


def documents() -> list[dict]:
    """The second document holds an earlier making of ITEM than the first (arrival order is not
    time order); OTHER is made twice at one time; the case is made by nothing."""
    first = [b.commission_lot(LOT, 1, event_id=LOT_MADE),
             b.transform(5, input_lots=[LOT], outputs=[ITEM], event_id=ITEM_MADE),
             b.transform(6, inputs=[ITEM], outputs=[OTHER], event_id=TIE_HIGH),
             b.pack(CASE, [OTHER], 8, event_id=PACKED)]
    second = [b.observe([ITEM], 4, site=2, biz_step="commissioning", event_id=ITEM_EARLIER),
              b.observe([OTHER], 6, site=2, biz_step="commissioning", event_id=TIE_LOW)]
    return [b.document(first), b.document(second)]


def stored(db) -> dict[str, tuple[str | None, datetime | None]]:
    """epc -> (making event id, its time)."""
    return {r["epc"]: (r["event_id"], r["time"] and r["time"].to_native()) for r in db.read("test/node_made")}


def stream(db) -> None:
    for n, doc in enumerate(documents()):
        write_document(db, parse_document(doc, f"doc{n}"))


def test_ingest_stores_the_earliest_making_event(db):
    stream(db)
    assert stored(db) == WANT


def test_migration_fills_a_store_without_it(db):
    stream(db)
    db.write("test/node_drop_made")
    db.run_statements("migrations/0004_made_event")
    assert stored(db) == WANT


def test_genealogy_shows_the_making_event_of_a_migrated_store(db):
    stream(db)
    db.write("test/node_drop_made")
    db.run_statements("migrations/0004_made_event")
    nodes = service.genealogy(db, LOT, "forward", 6, 100).nodes
    assert {n.epc: n.made.event_id if n.made else None for n in nodes} == {LOT: LOT_MADE, ITEM: ITEM_EARLIER,
                                                                          OTHER: TIE_LOW}


def test_bulk_load_stores_what_streaming_stores(db, bulk_loaded):
    stream(db)
    streamed = stored(db)
    assert (stored(bulk_loaded(documents())), streamed) == (streamed, WANT)
