"""One commissioning rule (`core.epcis.models.commissioning_roles`) for the writer, the quality
checks and lot balance, and DUPLICATE_SERIAL, in streaming and bulk loads alike: an ObjectEvent
commissions with ADD or the commissioning step (real feeds send OBSERVE with it), a
TransformationEvent its outputs, and no other event type anything (a TransactionEvent with that
step records a business transaction; it brings nothing into being)."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from core.epcis.models import commissioning_roles
from loaders.epcis.document import parse_document
from tests import epcis as b
from tests.test_bulk import both_loads, restore_schema  # noqa: F401 (restore_schema: a fixture)
from tests.test_rules_support import subjects
from tracegraph.capture.writer import write_document
from tracegraph.quality import service as quality
from tracegraph.rules import history

OBSERVED, TRANSACTED, TWICE = b.sgtin("C1"), b.sgtin("C2"), b.sgtin("C3")
RAW = b.lgtin("RAW1")
T1 = b.T0 + timedelta(minutes=1)


@pytest.mark.parametrize(("kind", "action", "step", "roles"), [
    ("ObjectEvent", "ADD", None, ("epc",)),
    ("ObjectEvent", "ADD", "commissioning", ("epc",)),
    ("ObjectEvent", "OBSERVE", "commissioning", ("epc",)),
    ("ObjectEvent", "OBSERVE", "shipping", ()),
    ("TransformationEvent", None, None, ("output",)),
    ("TransactionEvent", "ADD", "commissioning", ()),
    ("AggregationEvent", "ADD", "commissioning", ()),
])
def test_the_roles_an_event_commissions_in(kind, action, step, roles):
    assert commissioning_roles(kind, action, step) == roles


def observe_commissioning(minutes: float) -> dict:
    """OBSERVE with the commissioning step: one serial and 10 kg of RAW (no ILMD: the EPCIS schema
    allows it only with ADD)."""
    ev = b.observe([OBSERVED], minutes, site=1, biz_step="commissioning")
    ev["quantityList"] = [{"epcClass": RAW, "quantity": 10, "uom": "KGM"}]
    return ev


def transaction_commissioning(minutes: float) -> dict:
    ev = b.observe([TRANSACTED], minutes, site=1, biz_step="commissioning", action="ADD")
    ev.update(type="TransactionEvent",
              bizTransactionList=[{"type": "po", "bizTransaction": "urn:epcglobal:cbv:bt:0614141000005:PO1"}])
    return ev


def draw(kilos: float, minutes: float) -> dict:
    ev = b.transform(minutes, input_lots=[RAW], output_lots=[b.lgtin("OUT1")], lot_number="OUT1")
    ev["inputQuantityList"] = [{"epcClass": RAW, "quantity": kilos, "uom": "KGM"}]
    return ev


# built once: the event ids must be the same for the streaming and the bulk load
DOCUMENTS = [b.document([observe_commissioning(1), transaction_commissioning(2),
                         b.observe([TWICE], 3, site=1, biz_step="commissioning", action="ADD"),
                         b.observe([TWICE], 4, site=1, biz_step="commissioning")]),
             b.document([draw(15, 20)])]


def stream(db) -> None:
    for n, doc in enumerate(DOCUMENTS):
        write_document(db, parse_document(doc, f"commissioning-{n}"))


def stored(db) -> dict[str, dict]:
    return {r["epc"]: {k: (v.to_native() if hasattr(v, "to_native") else v) for k, v in r.items() if k != "epc"}
            for r in db.read("test/node_commissioned")}


def test_an_observe_with_the_commissioning_step_commissions_the_item(db):
    stream(db)
    assert stored(db)[OBSERVED]["commissioned"] == T1


def test_an_observe_with_the_commissioning_step_manufactures_the_lot(db):
    stream(db)
    assert stored(db)[RAW]["manufactured"] == T1


def test_a_transaction_event_with_the_commissioning_step_commissions_nothing(db):
    stream(db)
    assert stored(db)[TRANSACTED] == {"commissioned": None, "manufactured": None, "made_event": None}


def test_the_stored_lot_balance_counts_what_an_observe_commissioned(db):
    stream(db)  # 10 kg commissioned in the first document, 15 drawn in the second
    assert [f.subject for f in quality.findings(db, rule="lot_quantity_balance")] == [RAW]


def test_duplicate_serial_counts_an_observe_with_the_commissioning_step(db):
    stream(db)
    assert subjects(db, "DUPLICATE_SERIAL") == {TWICE}


def test_the_python_judge_counts_an_observe_with_the_commissioning_step():
    def seen(n: int, action: str) -> history.Sighting:
        return history.Sighting(f"e{n}", b.T0 + timedelta(minutes=n), "commissioning", "active", None,
                                "ObjectEvent", action, frozenset({"epc"}))
    rows = history.judge([(TWICE, [seen(1, "ADD"), seen(2, "OBSERVE")])], ["DUPLICATE_SERIAL"], {},
                         datetime.now(b.T0.tzinfo))
    assert [r["events"] for r in rows["DUPLICATE_SERIAL"]] == [["e1", "e2"]]


@pytest.mark.timeout(1200)
@pytest.mark.usefixtures("restore_schema")
def test_bulk_loads_the_streaming_graph_of_these_commissionings(database, neo4j_settings, tmp_path):
    paths = [b.write(tmp_path / f"doc{n}.json", doc["epcisBody"]["eventList"]) for n, doc in enumerate(DOCUMENTS)]
    streamed, bulk_loaded = both_loads(database, neo4j_settings, paths)
    assert bulk_loaded == streamed
