"""Every Cypher statement that spells out the commissioning or making rule by hand (Cypher has no
shared functions) agrees with the Python rule, `core.epcis.models.commissioning_roles` and
`tracegraph.capture.writer.making_roles`, for one table of event shapes.

Each shape is sent four times, at the manufacturer's SITE, naming in every role of its type:
- `fresh` serials and lots that nothing else names (what the writer and the bulk loader store, the
  quality checks, recall starts, verification and migration 0004 derive from the one event);
- `once` serials ADDed ELSEWHERE before (DUPLICATE_SERIAL: a second commissioning or not);
- `bound` serials bound ELSEWHERE before to two lots (LOT_MISMATCH lists the commissionings; the
  alert scopes must hold the lots of what an event commissions);
- `packed`: containers, each holding a serial ADDed ELSEWHERE before (DUPLICATE_SERIAL: an event
  commissions what it names itself, never a container's contents).
What each statement should answer comes from calling the Python rule on the parsed event, so these
tests follow the rule when it changes. One load for the module; the statements only read, and
migration 0004 puts back what the test removed."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from core.epcis.models import commissioning_roles
from graph import schema
from loaders.epcis.document import parse_document
from tests import epcis as b
from tests import partners
from tests.test_bulk import both_loads, restore_schema  # noqa: F401 (restore_schema: a fixture)
from tests.test_rules_support import lenient_binding
from tracegraph.audit import service as audit
from tracegraph.capture.writer import making_roles, write_document
from tracegraph.recalls import service as recalls
from tracegraph.recalls.models import StartPoint
from tracegraph.rules import service as rules

SITE, ELSEWHERE = 5, 9  # the shapes happen at SITE (operated by the manufacturer), the priors ELSEWHERE
MFR = "urn:epc:id:pgln:0614141.00005"
PRODUCT = "812345"  # b.sgtin's item reference: the serials' product, made by MFR
LOT_PRODUCT = "712345"  # b.lgtin's: the lots' product
PO = {"type": "po", "bizTransaction": "urn:epcglobal:cbv:bt:0614141000005:PO1"}
BOUND_LOTS = {b.lgtin("LA", PRODUCT), b.lgtin("LB", PRODUCT)}


@dataclass(frozen=True)
class Shape:
    name: str
    type: str
    action: str | None
    step: str | None


SHAPES = [
    Shape("object-add", "ObjectEvent", "ADD", None),
    Shape("object-add-commissioning", "ObjectEvent", "ADD", "commissioning"),
    Shape("object-observe-commissioning", "ObjectEvent", "OBSERVE", "commissioning"),
    Shape("object-observe-shipping", "ObjectEvent", "OBSERVE", "shipping"),
    Shape("object-delete-decommissioning", "ObjectEvent", "DELETE", "decommissioning"),
    Shape("object-delete-commissioning", "ObjectEvent", "DELETE", "commissioning"),
    Shape("transformation", "TransformationEvent", None, None),
    Shape("transformation-commissioning", "TransformationEvent", None, "commissioning"),
    Shape("transaction-add-commissioning", "TransactionEvent", "ADD", "commissioning"),
    Shape("aggregation-add-commissioning", "AggregationEvent", "ADD", "commissioning"),
    Shape("association-add-commissioning", "AssociationEvent", "ADD", "commissioning"),
]
PURPOSES = ("fresh", "once", "bound", "packed")

# role -> the field naming objects (parentID: one) and lots (quantity lists) in it, by event type
_PACKING = {"parent": "parentID", "child": "childEPCs"}
OBJECT_FIELDS = {"ObjectEvent": {"epc": "epcList"}, "TransactionEvent": {"parent": "parentID", "epc": "epcList"},
                 "AggregationEvent": _PACKING, "AssociationEvent": _PACKING,
                 "TransformationEvent": {"input": "inputEPCList", "output": "outputEPCList"}}
CLASS_FIELDS = {"ObjectEvent": {"epc": "quantityList"}, "TransactionEvent": {"epc": "quantityList"},
                "AggregationEvent": {"child": "childQuantityList"}, "AssociationEvent": {"child": "childQuantityList"},
                "TransformationEvent": {"input": "inputQuantityList", "output": "outputQuantityList"}}


def serial(shape: Shape, purpose: str, role: str) -> str:
    return b.sgtin(f"S{SHAPES.index(shape)}{purpose[0].upper()}-{role}", PRODUCT)


def container(shape: Shape, role: str) -> str:
    return b.sscc(1000 + 10 * SHAPES.index(shape) + list(OBJECT_FIELDS[shape.type]).index(role))


def lot(shape: Shape, role: str) -> str:
    return b.lgtin(f"S{SHAPES.index(shape)}-{role}")


def minutes(shape: Shape) -> int:
    return 10 + SHAPES.index(shape)


def shaped(shape: Shape, purpose: str) -> dict:
    fields: dict = {"bizTransactionList": [PO]} if shape.type == "TransactionEvent" else {}
    for role, field in OBJECT_FIELDS[shape.type].items():
        epc = container(shape, role) if purpose == "packed" else serial(shape, purpose, role)
        fields[field] = epc if field == "parentID" else [epc]
    for role, field in CLASS_FIELDS[shape.type].items() if purpose == "fresh" else ():
        fields[field] = [{"epcClass": lot(shape, role), "quantity": 10, "uom": "KGM"}]
    return b.event(shape.type, minutes(shape), SITE, shape.action, shape.step, **fields)


def _named(purpose: str) -> list[str]:
    return [serial(s, purpose, role) for s in SHAPES for role in OBJECT_FIELDS[s.type]]


def priors() -> list[dict]:
    """ELSEWHERE, before the shapes: the `once` and `packed` serials ADDed (no step), the latter then
    packed, each in its container; the `bound` ones bound to lot LA by an ADD and to LB as a
    transformation's outputs (both with ILMD, as the schema allows)."""
    once = b.observe(_named("once") + _named("packed"), 1, site=ELSEWHERE, biz_step=None, action="ADD")
    packed = [b.pack(container(s, role), [serial(s, "packed", role)], 3, site=ELSEWHERE)
              for s in SHAPES for role in OBJECT_FIELDS[s.type]]
    into_la = b.observe(_named("bound"), 1, site=ELSEWHERE, biz_step=None, action="ADD")
    into_la["ilmd"] = {"cbvmda:lotNumber": "LA"}
    into_lb = b.transform(2, input_lots=[b.lgtin("RAW")], outputs=_named("bound"), lot_number="LB", site=ELSEWHERE)
    return [once, into_la, into_lb, *packed]


MASTER = [{"type": partners.PARTY, "vocabularyElementList": [partners.party(MFR, "Maker")]},
          {"type": partners.SITE, "vocabularyElementList": [partners.site(b.sgln(SITE), MFR)]},
          {"type": "urn:epcglobal:epcis:vtype:EPCClass", "vocabularyElementList": [
              {"id": f"urn:epc:idpat:sgtin:{b.CP}.{PRODUCT}.*",
               "attributes": [{"id": "https://tracegraph.dev/mda#manufacturer", "attribute": MFR}]}]}]
# built once: the event ids must be the same for the streaming and the bulk load
EVENTS = {(s.name, purpose): shaped(s, purpose) for s in SHAPES for purpose in PURPOSES}
SHAPED = b.document(list(EVENTS.values()), MASTER)
DOCUMENTS = [b.document(priors()), SHAPED]
PARSED = {e.event_id: e for e in parse_document(SHAPED, "shapes").events}


def event_id(shape: Shape, purpose: str) -> str:
    return EVENTS[shape.name, purpose]["eventID"]


def commissions(shape: Shape, role: str, purpose: str = "fresh") -> bool:
    """The rule: does the shape's event commission what it names in `role`?"""
    ev = PARSED[event_id(shape, purpose)]
    return role in commissioning_roles(ev.type, ev.action, ev.biz_step)


def makes(shape: Shape, role: str) -> bool:
    """The rule: is the shape's event the making event of what it names in `role`?"""
    ev = PARSED[event_id(shape, "fresh")]
    return role in making_roles(ev, commissioning_roles(ev.type, ev.action, ev.biz_step))


@dataclass(frozen=True)
class Named:
    """What one shape names in one role: a serial (`item`) or a lot."""
    shape: Shape
    role: str
    kind: str

    def epc(self, purpose: str = "fresh") -> str:
        return serial(self.shape, purpose, self.role) if self.kind == "item" else lot(self.shape, self.role)

    @property
    def id(self) -> str:
        return f"{self.shape.name}/{self.role}/{self.kind}"


ITEMS = [Named(s, role, "item") for s in SHAPES for role in OBJECT_FIELDS[s.type]]
LOTS = [Named(s, role, "lot") for s in SHAPES for role in CLASS_FIELDS[s.type]]
# the alert scopes are deliberately over-inclusive (any ADD, any commissioning step, any
# transformation, every role): only that they hold the lots of what IS commissioned is asserted
COMMISSIONED = [n for n in ITEMS if commissions(n.shape, n.role, "bound")]


def cases(named: list[Named]):
    return pytest.mark.parametrize("named", named, ids=lambda n: n.id)


def native(value):
    return value.to_native() if hasattr(value, "to_native") else value


def facts(db) -> dict[str, dict]:
    return {r["epc"]: {k: native(v) for k, v in r.items()} for r in db.read("test/node_commissioned")}


def expected(named: Named) -> dict:
    """What the writer should store on a fresh node, by the rule."""
    at = b.T0 + timedelta(minutes=minutes(named.shape))
    when = at if commissions(named.shape, named.role) else None
    return {"commissioned" if named.kind == "item" else "manufactured": when,
            "made_event": event_id(named.shape, "fresh") if makes(named.shape, named.role) else None}


@pytest.fixture(scope="module")
def loaded(database):
    schema.reset(database)
    audit.retire_checkpoints(keep=False)
    with lenient_binding():  # the bound serials' second lot would be refused
        for n, doc in enumerate(DOCUMENTS):
            write_document(database, parse_document(doc, f"shapes-{n}"))
    return database


@pytest.fixture(scope="module")
def stored(loaded) -> dict[str, dict]:
    return facts(loaded)


@pytest.fixture(scope="module")
def migrated(loaded, stored) -> dict[str, str | None]:
    """made_event as migration 0004 sets it on a store without it (after `stored` was read)."""
    loaded.write("test/node_drop_made")
    assert not any(r["event_id"] for r in loaded.read("test/node_made"))
    loaded.run_statements("migrations/0004_made_event")
    return {r["epc"]: r["event_id"] for r in loaded.read("test/node_made")}


@pytest.fixture(scope="module")
def findings(loaded) -> dict[tuple[str, str], list[str]]:
    """(rule, subject) -> the events of its finding, through the rules service."""
    found = rules.sweep(loaded, ["DUPLICATE_SERIAL", "LOT_MISMATCH"], dry_run=True).findings
    return {(f.rule, f.subject): f.events for f in found}


@pytest.fixture(scope="module")
def starts(loaded) -> dict[str, set[str]]:
    """The recall service's start nodes of a site start and of a party start, and of the serials'
    and the lots' product starts as of now (everything recorded: what the rule commissions)."""
    def of(kind: str, epc: str, as_of=None) -> set[str]:
        rows = loaded.read_tx(lambda tx: recalls.resolve_starts(loaded, tx, [StartPoint(kind=kind, id=epc)], as_of))
        return {r["epc"] for r in rows}
    now = datetime.now(UTC)
    return {"site": of("site", b.sgln(SITE)), "party": of("party", MFR),
            "product as of": of("product", f"urn:epc:idpat:sgtin:{b.CP}.{PRODUCT}.*", now)
            | of("product", f"urn:epc:idpat:sgtin:{b.CP}.{LOT_PRODUCT}.*", now)}


@cases(ITEMS + LOTS)
def test_the_writer_stores_commissioning_iff_the_rule_commissions(stored, named):
    key = "commissioned" if named.kind == "item" else "manufactured"
    assert stored[named.epc()][key] == expected(named)[key]


@cases(ITEMS + LOTS)
def test_the_writer_stores_the_making_event_iff_the_rule_makes(stored, named):
    assert stored[named.epc()]["made_event"] == expected(named)["made_event"]


@cases(ITEMS)
def test_quality_items_finds_a_commissioning_iff_the_rule_commissions(loaded, named):
    rows = loaded.read("quality/items", epcs=[named.epc()], declared=[])
    want = expected(named)["commissioned"]
    assert [native(r["commissioned"]) for r in rows] == ([want] if want else [])


@cases(LOTS)
def test_quality_lot_balance_counts_the_quantity_made_iff_the_rule_commissions(loaded, named):
    [row] = loaded.read("quality/lot_balance", lots=[named.epc()], declared=[])
    assert row["made"] == (10 if commissions(named.shape, named.role) else 0)


@cases(ITEMS)
def test_duplicate_serial_fires_after_an_add_iff_the_rule_commissions(findings, named):
    assert (("DUPLICATE_SERIAL", named.epc("once")) in findings) == commissions(named.shape, named.role, "once")


@cases(ITEMS)
def test_duplicate_serial_never_counts_an_event_that_names_only_the_container(findings, named):
    assert ("DUPLICATE_SERIAL", named.epc("packed")) not in findings


@cases(ITEMS)
def test_lot_mismatch_lists_the_event_iff_the_rule_commissions(findings, named):
    listed = event_id(named.shape, "bound") in findings["LOT_MISMATCH", named.epc("bound")]
    assert listed == commissions(named.shape, named.role, "bound")


@cases(ITEMS + LOTS)
def test_a_recall_site_start_holds_what_the_rule_makes_there(starts, named):
    assert (named.epc() in starts["site"]) == makes(named.shape, named.role)


@cases(ITEMS + LOTS)
def test_a_recall_party_start_holds_what_the_rule_makes_at_its_sites(starts, named):
    assert (named.epc() in starts["party"]) == makes(named.shape, named.role)


@cases(ITEMS + LOTS)
def test_a_recall_product_start_as_of_holds_what_the_rule_commissions(starts, named):
    assert (named.epc() in starts["product as of"]) == commissions(named.shape, named.role)


@cases(ITEMS)
def test_verify_says_made_by_the_manufacturer_iff_the_rule_makes(loaded, named):
    [row] = loaded.read("verify/serials", asks=[{"n": 0, "epc": named.epc(), "party": None}])
    assert row["by_manufacturer"] == makes(named.shape, named.role)


@cases(ITEMS + LOTS)
def test_migration_0004_sets_the_making_event_iff_the_rule_makes(migrated, named):
    assert migrated[named.epc()] == expected(named)["made_event"]


@cases(COMMISSIONED)
def test_the_alert_scope_holds_the_lots_of_what_an_event_commissions(loaded, named):
    [row] = loaded.read("alerts/scope", events=[event_id(named.shape, "bound")])
    assert BOUND_LOTS <= set(row["epcs"])


@cases(COMMISSIONED)
def test_the_writers_alert_scope_lots_hold_the_lots_of_what_an_event_commissions(loaded, named):
    [row] = loaded.read("alerts/scope_lots", events=[event_id(named.shape, "bound")])
    assert BOUND_LOTS <= set(row["lots"])


# last: the import replaces the store the module's other tests read
@pytest.mark.timeout(1200)
@pytest.mark.usefixtures("restore_schema")
def test_bulk_stores_what_streaming_stores_and_the_rule_says(database, neo4j_settings, tmp_path):
    path = b.write(tmp_path / "shapes.json", SHAPED["epcisBody"]["eventList"], MASTER)
    streamed, bulk_loaded = both_loads(database, neo4j_settings, [path])
    stored_bulk = facts(database)
    got = {n.id: {k: stored_bulk[n.epc()][k] for k in expected(n)} for n in ITEMS + LOTS}
    assert (bulk_loaded == streamed, got) == (True, {n.id: expected(n) for n in ITEMS + LOTS})
