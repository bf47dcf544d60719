"""A serial's record and its timeline."""
from __future__ import annotations

import csv
import io
from datetime import datetime

from core.errors import NotFound
from graph.db import Database
from tracegraph.recalls import state
from tracegraph.serials.errors import InvalidFilter
from tracegraph.serials.models import Serial, Timeline, TimelineEntry


def _one(db: Database, name: str, epc: str, with_events: bool) -> dict:
    """The one row of a single-serial query (one round trip). Times come as ISO strings: each
    model is validated in one pass (pydantic-core), not field by field."""
    rows = db.lookup(name, epc=epc, epcs=[epc], with_events=with_events, with_shipments=False, as_of=None,
                     version=state.VERSION)
    if not rows:
        raise NotFound(f"no serialized item {epc}", field="id")
    return rows[0]


def get_serial(db: Database, epc: str) -> Serial:
    """The item's record, and the site and status the writer stored (serials/serial.cypher)."""
    return Serial.model_validate(_one(db, "serials/serial", epc, with_events=False))


def timeline(db: Database, epc: str, start: datetime | None = None, end: datetime | None = None,
             biz_steps: list[str] | None = None) -> Timeline:
    """Every event that saw the serial, optionally only within [start, end] and of some business steps."""
    if start and end and start > end:
        raise InvalidFilter("'from' is after 'to'", field="from")
    events = _one(db, "serials/timeline", epc, with_events=True)["events"]  # 404s
    found = Timeline.model_validate({"epc": epc, "events": events})
    if start is not None or end is not None or biz_steps:
        found.events = [e for e in found.events if (start is None or e.time >= start) and (end is None or e.time <= end)
                        and (not biz_steps or e.biz_step in biz_steps)]
    return found


def timeline_csv(timeline: Timeline) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    columns = list(TimelineEntry.model_fields)
    writer.writerow(columns)
    for e in timeline.events:
        row = e.model_dump(mode="json")
        writer.writerow([" ".join(row[c]) if isinstance(row[c], list) else row[c] for c in columns])
    return buf.getvalue()
