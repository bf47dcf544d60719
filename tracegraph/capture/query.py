"""The event query of the EPCIS REST binding (`GET /events`): parameters, paging, JSON-LD."""
from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime, timezone

from core.requests import instant
from graph.db import Database
from loaders.epcis import cbv
from loaders.epcis.normalize import Canonicaliser, FieldError
from loaders.epcis.xml import EPCIS_CONTEXT
from tracegraph.capture import files as ingest
from tracegraph.capture.errors import NoSuchResourceException, QueryParameterException

EVENT_TYPES = {"ObjectEvent", "AggregationEvent", "TransformationEvent", "AssociationEvent", "TransactionEvent"}
PARAMS = {"eventType", "EQ_bizStep", "EQ_bizLocation", "MATCH_epc", "MATCH_anyEPC", "GE_eventTime",
          "LT_eventTime", "perPage", "nextPageToken"}
EPC_ROLES = ["epc", "child"]  # MATCH_epc: epcList and childEPCs
ANY_ROLES = ["epc", "child", "parent", "input", "output"]
DEFAULT_PER_PAGE, MAX_PER_PAGE = 30, 1000


def _values(value: str) -> list[str]:
    """A parameter's values: several are separated by '|' (REST binding)."""
    return [v for v in value.split("|") if v]


def _time(name: str, value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise QueryParameterException(f"{name}: {value!r} is not an ISO 8601 date-time", field=name) from exc
    if parsed.tzinfo is None:
        raise QueryParameterException(f"{name}: {value!r} needs a time zone (e.g. Z or +01:00)", field=name)
    try:
        return instant(parsed).astimezone(timezone.utc)
    except ValueError as exc:
        raise QueryParameterException(f"{name}: {value!r}: {exc}", field=name) from exc


def _epcs(db: Database, name: str, value: str, kinds: tuple[str, ...]) -> list[str]:
    ids = Canonicaliser(ingest.known_prefixes(db))
    try:
        return [ids.epc(v, name, kinds) for v in _values(value)]
    except FieldError as exc:
        raise QueryParameterException(f"{name}: {exc.reason}", field=name) from exc


def _token(filters: dict, last: dict) -> str:
    body = {"f": _fingerprint(filters), "t": last["time"].to_native().isoformat(), "id": last["event_id"]}
    return base64.urlsafe_b64encode(json.dumps(body).encode()).decode().rstrip("=")


def _fingerprint(filters: dict) -> str:
    return hashlib.sha256(json.dumps(filters, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _read_token(token: str, filters: dict) -> tuple[datetime, str]:
    try:
        body = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        after = datetime.fromisoformat(body["t"])
        event_id, fingerprint = str(body["id"]), body["f"]
    except (ValueError, KeyError, TypeError) as exc:
        raise QueryParameterException("nextPageToken: not a token this service issued",
                                      field="nextPageToken") from exc
    if fingerprint != _fingerprint(filters):
        raise QueryParameterException("nextPageToken: it belongs to a query with other parameters",
                                      field="nextPageToken")
    return after, event_id


def query_events(db: Database, params: dict[str, str]) -> tuple[dict, str | None]:
    """(EPCISQueryDocument, next page token or None)."""
    unknown = sorted(set(params) - PARAMS)
    if unknown:
        raise QueryParameterException(f"{unknown[0]}: not a supported query parameter "
                                      f"(supported: {', '.join(sorted(PARAMS))})", field=unknown[0])
    filters: dict = {"types": None, "biz_steps": None, "biz_locations": None, "ge_time": None, "lt_time": None,
                     "epcs": None, "roles": EPC_ROLES}
    if "eventType" in params:
        types = _values(params["eventType"])
        bad = [t for t in types if t not in EVENT_TYPES]
        if bad or not types:
            raise QueryParameterException(f"eventType: {bad[0] if bad else ''!r} is not an EPCIS event type",
                                          field="eventType")
        filters["types"] = types
    if "EQ_bizStep" in params:
        filters["biz_steps"] = [cbv.bare(v, "bizStep") for v in _values(params["EQ_bizStep"])]
    if "EQ_bizLocation" in params:
        filters["biz_locations"] = _epcs(db, "EQ_bizLocation", params["EQ_bizLocation"], ("location",))
    if "GE_eventTime" in params:
        filters["ge_time"] = _time("GE_eventTime", params["GE_eventTime"])
    if "LT_eventTime" in params:
        filters["lt_time"] = _time("LT_eventTime", params["LT_eventTime"])
    if "MATCH_epc" in params and "MATCH_anyEPC" in params:
        raise QueryParameterException("MATCH_anyEPC: give MATCH_epc or MATCH_anyEPC, not both", field="MATCH_anyEPC")
    for name, roles in (("MATCH_epc", EPC_ROLES), ("MATCH_anyEPC", ANY_ROLES)):
        if name in params:
            filters["epcs"] = _epcs(db, name, params[name], ("serial", "container", "asset"))
            filters["roles"] = roles
    per_page = DEFAULT_PER_PAGE
    if "perPage" in params:
        if not params["perPage"].isdigit() or not 1 <= int(params["perPage"]) <= MAX_PER_PAGE:
            raise QueryParameterException(f"perPage: a whole number from 1 to {MAX_PER_PAGE}", field="perPage")
        per_page = int(params["perPage"])
    after_time, after_id = None, None
    if "nextPageToken" in params:
        after_time, after_id = _read_token(params["nextPageToken"], filters)
    rows = db.read("epcis/events", **filters, after_time=after_time, after_id=after_id, limit=per_page + 1)
    token = _token(filters, rows[per_page - 1]) if len(rows) > per_page else None
    return query_document([r for r in rows[:per_page]]), token


def get_event(db: Database, event_id: str) -> dict:
    rows = db.read("epcis/event", id=event_id)
    if not rows:
        raise NoSuchResourceException(f"no event with eventID {event_id!r}", field="eventID")
    contexts, event = _event(rows[0])
    return {"@context": _context(contexts), **event}


def _event(row: dict) -> tuple[dict, dict]:
    event = json.loads(row["raw"])
    event.pop("@context", None)
    event["eventID"] = row["event_id"]
    if row["recorded"] is not None:
        event["recordTime"] = row["recorded"].iso_format()
    if row.get("declaration") and "errorDeclaration" not in event:
        event["errorDeclaration"] = json.loads(row["declaration"])
    return json.loads(row["context"]) if row.get("context") else {}, event


def _context(namespaces: dict) -> list:
    return [EPCIS_CONTEXT, namespaces] if namespaces else [EPCIS_CONTEXT]


def query_document(rows: list[dict]) -> dict:
    namespaces: dict = {}
    events = []
    for row in rows:
        ctx, event = _event(row)
        namespaces.update(ctx)
        events.append(event)
    return {
        "@context": _context(namespaces), "type": "EPCISQueryDocument", "schemaVersion": "2.0",
        "creationDate": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"),
        "epcisBody": {"queryResults": {"queryName": "SimpleEventQuery", "resultsBody": {"eventList": events}}},
    }
