"""A serial's record and its timeline."""
from __future__ import annotations

import csv
import io
from datetime import datetime

from core.errors import NotFound
from graph.db import Database
from graph.db import native as _native
from tracegraph.serials.errors import InvalidFilter
from tracegraph.serials.models import Serial, Timeline, TimelineEntry


def _record(db: Database, epc: str, with_events: bool) -> dict:
    """The item's record, current site and status (and events) from one query."""
    rows = db.lookup("serials/serial", epc=epc, epcs=[epc], with_events=with_events, with_shipments=False,
                     as_of=None)
    if not rows:
        raise NotFound(f"no serialized item {epc}", field="id")
    return rows[0]


def get_serial(db: Database, epc: str) -> Serial:
    row = _record(db, epc, with_events=False)
    del row["events"]
    row["commissioned"] = _native(row["commissioned"])
    if row["lot"] and row["lot"].get("manufactured"):
        row["lot"]["manufactured"] = _native(row["lot"]["manufactured"])
    return Serial(**row)


def timeline(db: Database, epc: str, start: datetime | None = None, end: datetime | None = None,
             biz_steps: list[str] | None = None) -> Timeline:
    """Every event that saw the serial, optionally only within [start, end] and of some business steps."""
    if start and end and start > end:
        raise InvalidFilter("'from' is after 'to'", field="from")
    events = [TimelineEntry(**dict(o, time=_native(o["time"]), destinations=o["destinations"] or []))
              for o in _record(db, epc, with_events=True)["events"]]  # 404 for unknown serials
    events = [e for e in events if (start is None or e.time >= start) and (end is None or e.time <= end)
              and (not biz_steps or e.biz_step in biz_steps)]
    return Timeline(epc=epc, events=events)


def timeline_csv(timeline: Timeline) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    columns = list(TimelineEntry.model_fields)
    writer.writerow(columns)
    for e in timeline.events:
        row = e.model_dump(mode="json")
        writer.writerow([" ".join(row[c]) if isinstance(row[c], list) else row[c] for c in columns])
    return buf.getvalue()
