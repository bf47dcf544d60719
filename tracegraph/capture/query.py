"""One stored event by its eventID, as EPCIS 2.0 JSON-LD (`GET /epcis/events/{eventID}`).
The event query itself lives in tracegraph/epcis_query."""
from __future__ import annotations

import json

from graph.db import Database
from loaders.epcis.xml import EPCIS_CONTEXT
from tracegraph.capture.errors import NoSuchResourceException


def get_event(db: Database, event_id: str) -> dict:
    rows = db.read("epcis/event", id=event_id)
    if not rows:
        raise NoSuchResourceException(f"no event with eventID {event_id!r}", field="eventID")
    row = rows[0]
    event = json.loads(row["raw"])
    event.pop("@context", None)
    event["eventID"] = row["event_id"]
    if row["recorded"] is not None:
        event["recordTime"] = row["recorded"].iso_format()
    if row.get("declaration") and "errorDeclaration" not in event:
        event["errorDeclaration"] = json.loads(row["declaration"])
    namespaces = json.loads(row["context"]) if row.get("context") else {}
    return {"@context": [EPCIS_CONTEXT, namespaces] if namespaces else [EPCIS_CONTEXT], **event}
