"""Create, release and query holds, and enforce them when shipping events are captured."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime

from neo4j import ManagedTransaction

from core.epcis.models import Event
from core.errors import InvalidIdentifier, NotFound, TracegraphError
from core.identifiers import IdentifierError, verify_gs1_check_digit
from graph.db import Database, run
from graph.db import native as _native
from tracegraph.alerts.service import ensure_schema
from tracegraph.audit import service as audit
from tracegraph.holds.enums import SHIP_STEPS, HoldKind, Policy
from tracegraph.holds.errors import HeldItems, HoldReleased
from tracegraph.holds.models import Hold, HoldDetail, HoldList, HoldRequest
from tracegraph.identity import canonical_epc

LINK_BATCH = 5000
TARGET_PREFIX = {
    HoldKind.lot: ("urn:epc:class:lgtin:",),
    HoldKind.serial: ("urn:epc:id:sgtin:",),
    HoldKind.container: ("urn:epc:id:sscc:", "urn:epc:id:grai:", "urn:epc:id:giai:"),
    HoldKind.site: ("urn:epc:id:sgln:",),
}


def _target(db: Database, kind: HoldKind, value: str) -> str:
    if kind == HoldKind.recall_scope:
        return value
    if kind == HoldKind.product:
        digits = value.strip()
        if not digits.isdigit() or len(digits) not in (8, 12, 13, 14):
            raise InvalidIdentifier("a product is named by its GTIN: 8, 12, 13 or 14 digits", field="target")
        gtin = digits.zfill(14)
        try:
            verify_gs1_check_digit(gtin)
        except IdentifierError as exc:
            raise InvalidIdentifier(f"GTIN {digits}: {exc}", field="target") from exc
        return gtin
    epc = canonical_epc(db, value, "target")
    if not epc.startswith(TARGET_PREFIX[kind]):
        raise InvalidIdentifier(f"a {kind.value} hold needs a {' or '.join(TARGET_PREFIX[kind])}... identifier, "
                                f"got {epc}", field="target")
    return epc


def _scope(tx: ManagedTransaction, kind: HoldKind, target: str, derived: bool) -> tuple[list[str], list[str]]:
    if kind == HoldKind.recall_scope:
        from tracegraph.recalls.service import saved_scope_serials
        return saved_scope_serials(tx, target), []
    rows = run(tx, f"holds/scope_{kind.value}", target=target, derived=derived)
    if not rows:
        raise NotFound(f"no {kind.value} {target} is known to tracegraph", field="target")
    return rows[0]["objects"], rows[0]["lots"]


def create(db: Database, request: HoldRequest, *, principal: str, request_id: str | None = None) -> HoldDetail:
    """Hold everything in scope now (materialized as HOLDS edges); audited."""
    ensure_schema(db)
    target = _target(db, request.kind, request.target)
    hold_id = str(uuid.uuid4())

    def work(tx: ManagedTransaction) -> None:
        objects, lots = _scope(tx, request.kind, target, request.derived)
        run(tx, "holds/create", id=hold_id, kind=request.kind.value, target=target, policy=request.policy.value,
            reason=request.reason, derived=request.derived, now=datetime.now(UTC), actor=principal)
        for start in range(0, max(len(objects), len(lots)), LINK_BATCH):
            run(tx, "holds/link", id=hold_id, objects=objects[start:start + LINK_BATCH],
                lots=lots[start:start + LINK_BATCH])
        audit.record(tx, actor=principal, action="hold.create", subject=hold_id, reason=request.reason,
                     after={"kind": request.kind.value, "target": target, "policy": request.policy.value,
                            "derived": request.derived, "objects": len(objects), "lots": len(lots)},
                     request_id=request_id)

    db.write_tx(work)
    return get_hold(db, hold_id)


def release(db: Database, hold_id: str, *, principal: str, reason: str, request_id: str | None = None) -> HoldDetail:
    """End a hold (an e-signature check belongs here, before the write); audited."""
    if not reason or not reason.strip():
        raise TracegraphError("a reason is required to release a hold", field="reason")

    def work(tx: ManagedTransaction) -> None:
        if not run(tx, "holds/get", id=hold_id, limit=0):
            raise NotFound(f"no hold {hold_id}", field="id")
        if not run(tx, "holds/release", id=hold_id, now=datetime.now(UTC), actor=principal, reason=reason):
            raise HoldReleased(f"hold {hold_id} is already released", field="id")
        audit.record(tx, actor=principal, action="hold.release", subject=hold_id, reason=reason,
                     before={"state": "active"}, after={"state": "released"}, request_id=request_id)

    db.write_tx(work)
    return get_hold(db, hold_id)


def _hold(row: dict) -> dict:
    h = {k: _native(v) for k, v in row.items()}
    h["state"] = "released" if h.get("released") else "active"
    return h


def get_hold(db: Database, hold_id: str, limit: int = 1000) -> HoldDetail:
    rows = db.read("holds/get", id=hold_id, limit=limit)
    if not rows:
        raise NotFound(f"no hold {hold_id}", field="id")
    return HoldDetail(**_hold(rows[0]["hold"]), held=rows[0]["held"])


def list_holds(db: Database, *, active: bool | None = None, subject: str | None = None, limit: int = 100) -> HoldList:
    rows = db.read("holds/list", active=active, subject=subject, limit=limit)
    return HoldList(holds=[Hold(**_hold(r["hold"])) for r in rows])


def holds_for(db: Database, epcs: list[str]) -> dict[str, list[str]]:
    """Active hold ids per object or lot (for verification and scope answers)."""
    rows = db.read("holds/active_for", epcs=epcs)
    return {r["epc"]: r["holds"] for r in rows if r["holds"]}


def _shipping_rows(events: list[Event]) -> list[dict]:
    """Per shipping event: what it names, plus anything this same document packs into those."""
    packed: dict[str, set[str]] = {}
    for ev in events:
        if ev.type == "AggregationEvent" and ev.action == "ADD":
            parent = next((o.epc for o in ev.objects if o.role == "parent"), None)
            if parent:
                packed.setdefault(parent, set()).update(o.epc for o in ev.objects if o.role == "child")
    rows = []
    for ev in events:
        if ev.biz_step not in SHIP_STEPS:
            continue
        epcs = {o.epc for o in ev.objects} | {c.epc for c in ev.classes}
        todo = list(epcs)
        while todo:
            for child in packed.get(todo.pop(), ()):
                if child not in epcs:
                    epcs.add(child)
                    todo.append(child)
        rows.append({"event_id": ev.event_id, "epcs": sorted(epcs), "site": ev.biz_location})
    return rows


def check_capture(tx: ManagedTransaction, events: list[Event]) -> list[dict]:
    """Refuse (409) a document that ships items under a `block` hold; return the
    `flag`-held ones (the document is written and SHIP_ON_HOLD raised)."""
    rows = _shipping_rows(events)
    if not rows or not run(tx, "holds/any_active")[0]["active"]:
        return []
    found = run(tx, "holds/check", rows=rows)
    blocked = [r for r in found if r["policy"] == Policy.block.value]
    if blocked:
        items = sorted({r["held"] for r in blocked})
        shown = ", ".join(items[:10]) + (f" and {len(items) - 10} more" if len(items) > 10 else "")
        raise HeldItems(f"{len(items)} held item(s) in shipping events; nothing from this document was "
                        f"written: {shown}", field="eventList",
                        held_items=[{"epc": r["held"], "hold": r["hold"], "event_id": r["event_id"]}
                                    for r in blocked])
    return found
