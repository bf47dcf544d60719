"""Build small EPCIS 2.0 JSON-LD documents for tests."""
from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

CONTEXT = ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"]
T0 = datetime(2025, 1, 1, tzinfo=UTC)
_ids = itertools.count(1)

CP = "0614141"


def sgtin(serial: str, item_ref: str = "812345") -> str:
    return f"urn:epc:id:sgtin:{CP}.{item_ref}.{serial}"


def sscc(n: int) -> str:
    return f"urn:epc:id:sscc:{CP}.{n:010d}"


def lgtin(lot: str, item_ref: str = "712345") -> str:
    return f"urn:epc:class:lgtin:{CP}.{item_ref}.{lot}"


def sgln(loc: int) -> str:
    return f"urn:epc:id:sgln:{CP}.{loc:05d}.0"


def at(minutes: float) -> str:
    return (T0 + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _base(kind: str, minutes: float, site: int | None, biz_step: str | None, disposition: str | None,
          event_id: str | None) -> dict:
    ev = {"type": kind, "eventID": event_id or f"urn:uuid:00000000-0000-4000-8000-{next(_ids):012d}",
          "eventTime": at(minutes), "eventTimeZoneOffset": "+00:00"}
    if biz_step:
        ev["bizStep"] = biz_step
    if disposition:
        ev["disposition"] = disposition
    if site is not None:
        ev["bizLocation"] = {"id": sgln(site)}
    return ev


def event(kind: str, minutes: float, site: int | None, action: str | None = None, biz_step: str | None = None,
          **fields) -> dict:
    """Any event type with the given lists (epcList, childEPCs, parentID, ...) as they are."""
    ev = _base(kind, minutes, site, biz_step, None, fields.pop("event_id", None))
    if action:
        ev["action"] = action
    ev.update(fields)
    return ev


def commission_lot(lot_epc: str, minutes: float, site: int = 1, quantity: int = 100, **kw) -> dict:
    ev = _base("ObjectEvent", minutes, site, "commissioning", "active", kw.get("event_id"))
    ev.update(action="ADD", quantityList=[{"epcClass": lot_epc, "quantity": quantity}])
    return ev


def transform(minutes: float, inputs=(), input_lots=(), outputs=(), output_lots=(), lot_number=None,
              site: int = 2, **kw) -> dict:
    ev = _base("TransformationEvent", minutes, site, "commissioning", "active", kw.get("event_id"))
    if inputs:
        ev["inputEPCList"] = list(inputs)
    if input_lots:
        ev["inputQuantityList"] = [{"epcClass": c, "quantity": 1} for c in input_lots]
    if outputs:
        ev["outputEPCList"] = list(outputs)
    if output_lots:
        ev["outputQuantityList"] = [{"epcClass": c, "quantity": 10} for c in output_lots]
    if lot_number:
        ev["ilmd"] = {"cbvmda:lotNumber": lot_number, "cbvmda:itemExpirationDate": "2030-01-01"}
    return ev


def observe(epcs, minutes: float, site: int | None, biz_step="inspecting", disposition="active",
            action="OBSERVE", destination: int | None = None, **kw) -> dict:
    ev = _base("ObjectEvent", minutes, site, biz_step, disposition, kw.get("event_id"))
    ev.update(action=action, epcList=list(epcs))
    if destination is not None:
        ev["destinationList"] = [{"type": "location", "destination": sgln(destination)}]
    return ev


def ship(epcs, minutes: float, site: int, destination: int, **kw) -> dict:
    return observe(epcs, minutes, site, "shipping", "in_transit", destination=destination, **kw)


def receive(epcs, minutes: float, site: int, **kw) -> dict:
    return observe(epcs, minutes, site, "receiving", "in_progress", **kw)


def pack(parent: str, children, minutes: float, site: int = 2, **kw) -> dict:
    ev = _base("AggregationEvent", minutes, site, "packing", "in_progress", kw.get("event_id"))
    ev.update(action="ADD", parentID=parent, childEPCs=list(children))
    return ev


def unpack(parent: str, children, minutes: float, site: int = 2, **kw) -> dict:
    ev = _base("AggregationEvent", minutes, site, "unpacking", "in_progress", kw.get("event_id"))
    ev.update(action="DELETE", parentID=parent)
    if children:
        ev["childEPCs"] = list(children)
    return ev


def decommission(epcs, minutes: float, site: int, **kw) -> dict:
    return observe(epcs, minutes, site, "decommissioning", "inactive", action="DELETE", **kw)


def document(events: list[dict], master: list[dict] | None = None) -> dict:
    doc = {"@context": CONTEXT, "type": "EPCISDocument", "schemaVersion": "2.0",
           "creationDate": "2025-01-01T00:00:00.000Z", "epcisBody": {"eventList": events}}
    if master:
        doc["epcisHeader"] = {"epcisMasterData": {"vocabularyList": master}}
    return doc


def write(path: Path, events: list[dict], master: list[dict] | None = None) -> Path:
    path.write_text(json.dumps(document(events, master)))
    return path
