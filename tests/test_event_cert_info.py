"""Events carry `has_cert_info` (the event has a certificationInfo), written by the streaming
ingest and the bulk loader and set on older events by migration 0003, so the genealogy lists
certificate-carrying events without reading every event's raw JSON."""
from __future__ import annotations

from loaders.epcis.document import parse_document
from tests import epcis as b
from tracegraph.capture.writer import write_document
from tracegraph.genealogy import service

ITEM = b.sgtin("CERT1")
MADE, SIGNED, SEEN = ("urn:uuid:00000000-0000-4000-8000-0000000c0001", "urn:uuid:00000000-0000-4000-8000-0000000c0002",
                      "urn:uuid:00000000-0000-4000-8000-0000000c0003")


def events() -> list[dict]:
    """An item made, then a certificate on a non-inspecting event, then a plain observation."""
    signed = b.observe([ITEM], 5, site=2, biz_step="receiving", event_id=SIGNED)
    signed["certificationInfo"] = ["https://cert.example.com/9", "https://cert.example.com/10"]
    return [b.transform(1, input_lots=[b.lgtin("RAWC")], outputs=[ITEM], event_id=MADE), signed,
            b.observe([ITEM], 9, site=2, biz_step="storing", event_id=SEEN)]


def flags(db) -> dict[str, bool | None]:
    return {r["event_id"]: r["flag"] for r in db.read("test/event_cert_info")}


def test_ingest_flags_the_event_with_a_certificate(db):
    write_document(db, parse_document(b.document(events()), "doc"))
    assert flags(db) == {MADE: False, SIGNED: True, SEEN: False}


def test_migration_flags_events_stored_without_the_property(db):
    write_document(db, parse_document(b.document(events()), "doc"))
    db.write("test/event_drop_cert_info")
    db.run_statements("migrations/0003_event_cert_info")
    assert flags(db) == {MADE: False, SIGNED: True, SEEN: False}


def test_genealogy_lists_a_certificate_of_a_migrated_event(db):
    write_document(db, parse_document(b.document(events()), "doc"))
    db.write("test/event_drop_cert_info")
    db.run_statements("migrations/0003_event_cert_info")
    node = service.genealogy(db, ITEM, "backward", 6, 100).nodes[0]
    assert [(c.event_id, c.certifications) for c in node.inspections] == \
        [(SIGNED, [{"value": "https://cert.example.com/9"}, {"value": "https://cert.example.com/10"}])]


def test_bulk_load_flags_the_event_with_a_certificate(bulk_loaded):
    assert flags(bulk_loaded([b.document(events())])) == {MADE: False, SIGNED: True, SEEN: False}
