"""Inspections and certificate-carrying events are labelled `:Check` (writer.is_check) by the
streaming ingest, the bulk loader and migration 0005, and the backward genealogy finds an
upstream lot's checks by the label among the events that took from the lot."""
from __future__ import annotations

from loaders.epcis.document import parse_document
from tests import epcis as b
from tracegraph.capture.writer import is_check, write_document
from tracegraph.genealogy import service

ITEM, OTHER = b.sgtin("CHK1"), b.sgtin("CHK2")
RAW = b.lgtin("RAWCHK")
CERTS = ["https://cert.example.com/1", "https://cert.example.com/2"]


def _id(n: int) -> str:
    return f"urn:uuid:00000000-0000-4000-8000-0000000d{n:04d}"


MADE_RAW, LOT_INSPECTED, LOT_SIGNED, MADE, OTHER_MADE, ITEM_INSPECTED, SIGNED_INSPECTION, STORED = map(_id, range(8))
# each event of events() and whether it is a check, written out by hand
CHECKS = {MADE_RAW: False, LOT_INSPECTED: True, LOT_SIGNED: True, MADE: False, OTHER_MADE: False,
          ITEM_INSPECTED: True, SIGNED_INSPECTION: True, STORED: False}


def events() -> list[dict]:
    """A raw lot made, inspected and received with a certificate; two items made from it (only
    ITEM's transformation is in ITEM's genealogy); ITEM inspected, inspected with a certificate, stored."""
    lot_inspected = b.event("ObjectEvent", 2, 1, action="OBSERVE", biz_step="inspecting", event_id=LOT_INSPECTED,
                            quantityList=[{"epcClass": RAW, "quantity": 5}])
    lot_signed = b.event("ObjectEvent", 3, 2, action="OBSERVE", biz_step="receiving", event_id=LOT_SIGNED,
                         quantityList=[{"epcClass": RAW, "quantity": 100}], certificationInfo=CERTS[0])
    signed_inspection = b.observe([ITEM], 7, 2, event_id=SIGNED_INSPECTION)
    signed_inspection["certificationInfo"] = CERTS
    return [b.commission_lot(RAW, 1, event_id=MADE_RAW), lot_inspected, lot_signed,
            b.transform(4, input_lots=[RAW], outputs=[ITEM], event_id=MADE),
            b.transform(5, input_lots=[RAW], outputs=[OTHER], event_id=OTHER_MADE),
            b.observe([ITEM], 6, 2, event_id=ITEM_INSPECTED), signed_inspection,
            b.observe([ITEM], 9, 2, biz_step="storing", event_id=STORED)]


def checks(db) -> dict[str, bool]:
    return {r["event_id"]: r["check"] for r in db.read("test/event_checks")}


def load(db) -> None:
    write_document(db, parse_document(b.document(events()), "doc"))


def test_the_rule_is_inspecting_or_a_certificate():
    parsed = parse_document(b.document(events()), "doc").events
    assert {e.event_id: is_check(e) for e in parsed} == CHECKS


def test_ingest_labels_inspections_and_certificates(db):
    load(db)
    assert checks(db) == CHECKS


def test_migration_labels_events_stored_without_the_label(db):
    load(db)
    db.write("test/event_drop_check")
    assert set(checks(db).values()) == {False}
    db.run_statements("migrations/0005_check_label")
    assert checks(db) == CHECKS
    db.run_statements("migrations/0005_check_label")  # a re-run changes nothing
    assert checks(db) == CHECKS


def _lot_checks(db) -> dict[str, list[tuple[str, str | None, list[dict]]]]:
    """Each node of ITEM's backward genealogy: its checks (event id, bizStep, certificates)."""
    nodes = service.genealogy(db, ITEM, "backward", 6, 100).nodes
    return {n.epc: [(c.event_id, c.biz_step, c.certifications) for c in n.inspections] for n in nodes}


def test_backward_genealogy_shows_an_upstream_lots_checks(db):
    load(db)
    certs = [{"value": c} for c in CERTS]
    expected = {ITEM: [(ITEM_INSPECTED, "inspecting", []), (SIGNED_INSPECTION, "inspecting", certs)],
                RAW: [(LOT_INSPECTED, "inspecting", []), (LOT_SIGNED, "receiving", certs[:1])]}
    assert _lot_checks(db) == expected
    db.write("test/event_drop_check")
    db.run_statements("migrations/0005_check_label")
    assert _lot_checks(db) == expected


def test_bulk_load_labels_inspections_and_certificates(bulk_loaded):
    assert checks(bulk_loaded([b.document(events())])) == CHECKS
