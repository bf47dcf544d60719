"""A serial's record and its timeline."""
from __future__ import annotations

from graph.db import Database
from tracegraph.errors import NotFound
from tracegraph.serials.models import Serial, Timeline, TimelineEntry
from tracegraph.trace.service import observations


def _native(value):
    return value.to_native() if hasattr(value, "to_native") else value


def _record(db: Database, epc: str) -> dict:
    rows = db.read("trace/serial", epc=epc)
    if not rows:
        raise NotFound(f"no serialized item {epc}", field="id")
    return rows[0]


def get_serial(db: Database, epc: str) -> Serial:
    row = {k: _native(v) for k, v in _record(db, epc).items()}
    if row["lot"] and row["lot"].get("manufactured"):
        row["lot"]["manufactured"] = _native(row["lot"]["manufactured"])
    now = observations(db, [epc])[epc]
    return Serial(**row, status=now["status"], site=now["site"])


def timeline(db: Database, epc: str) -> Timeline:
    _record(db, epc)  # 404 for unknown serials
    events = [TimelineEntry(**dict(o, time=_native(o["time"]), destinations=o["destinations"] or []))
              for o in observations(db, [epc], with_events=True)[epc]["events"]]
    return Timeline(epc=epc, events=events)
