"""Running SimpleEventQuery, and the named queries integrators store.

Reads are scoped: a partner principal only ever gets events about objects its party
shipped, received or holds (cypher/epcis/query_events.cypher, `$party`); a partner's
named queries are its party's own, others' answer 404 as unknown ones do.
"""
from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime

from neo4j import ManagedTransaction

from graph.db import Database, run
from loaders.epcis.normalize import Canonicaliser, FieldError
from loaders.epcis.xml import EPCIS_CONTEXT
from tracegraph.audit import service as audit
from tracegraph.capture import files as ingest
from tracegraph.epcis_query import facets
from tracegraph.epcis_query.errors import (
    DuplicateNameException,
    NoSuchNameException,
    NoSuchResourceException,
    QueryParameterException,
    QueryTooLargeException,
)
from tracegraph.epcis_query.models import NamedQuery, NewNamedQuery
from tracegraph.epcis_query.params import EventQuery, Parser
from tracegraph.security.models import Principal

FACET_BATCH = 500


def party_of(principal: Principal | None) -> str | None:
    return principal.party if principal is not None and principal.is_partner else None


def canonical(ids: Canonicaliser):
    def convert(value: str, kinds: tuple[str, ...]) -> str:
        try:
            return ids.epc(value, "value", kinds)
        except FieldError:
            return value  # not convertible: kept as given (it matches what was stored as given)
    return convert


def parser(db: Database) -> Parser:
    return Parser(canonical(Canonicaliser(ingest.known_prefixes(db))))


def parse(db: Database, params: dict, *, from_url: bool = False) -> EventQuery:
    return parser(db).parse(params, from_url=from_url)


# -- facets ---------------------------------------------------------------------------------

def _facet_rows(rows: list[dict], ids: Canonicaliser) -> list[dict]:
    out = []
    for r in rows:
        raw = json.loads(r["raw"])
        namespaces = json.loads(r["context"]) if r.get("context") else {}
        declaration = json.loads(r["declaration"]) if isinstance(r.get("declaration"), str) else None
        out.append({"event_id": r["event_id"], **facets.stored(facets.of_event(raw, namespaces, declaration,
                                                                                canonical(ids)))})
    return out


def index_events(tx: ManagedTransaction, event_ids: list[str], prefixes: set[str] | None = None) -> None:
    """(Re)compute the query facets of these stored events, in the caller's transaction."""
    if not event_ids:
        return
    rows = run(tx, "epcis/facets_of", ids=event_ids)
    run(tx, "epcis/facets_set", rows=_facet_rows(rows, Canonicaliser(prefixes or ())))


def backfill(db: Database) -> int:
    """Facets for events stored before the query interface existed; returns how many.
    An event whose facets have no keys keeps no `q_keys` (an empty list is no property), so it
    stays pending: skipped from then on (and recomputed, to the same nothing, at each start)."""
    ids = Canonicaliser(ingest.known_prefixes(db))
    done, skip = 0, []
    while True:
        rows = db.read("epcis/facets_pending", skip=skip, limit=FACET_BATCH)
        if not rows:
            return done
        found = _facet_rows(rows, ids)
        db.write("epcis/facets_set", rows=found)
        done += len(rows)
        skip += [r["event_id"] for r in found if r["q_keys"] is None]


# -- running a query ------------------------------------------------------------------------

def _fingerprint(q: EventQuery, party: str | None) -> str:
    body = json.dumps([q.filters, q.order_by, q.descending, q.event_count_limit, party], sort_keys=True, default=str)
    return hashlib.sha256(body.encode()).hexdigest()[:16]


def _token(q: EventQuery, party: str | None, last: dict, sent: int) -> str:
    body = {"f": _fingerprint(q, party), "k": last["sort"], "id": last["event_id"], "n": sent}
    return base64.urlsafe_b64encode(json.dumps(body).encode()).decode().rstrip("=")


def _read_token(q: EventQuery, party: str | None) -> tuple[int | None, str | None, int]:
    if q.next_page_token is None:
        return None, None, 0
    token = q.next_page_token
    try:
        body = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        key, event_id, sent, fingerprint = int(body["k"]), str(body["id"]), int(body["n"]), body["f"]
    except (ValueError, KeyError, TypeError) as exc:
        raise QueryParameterException("nextPageToken: not a token this service issued",
                                      field="nextPageToken") from exc
    if fingerprint != _fingerprint(q, party):
        raise QueryParameterException("nextPageToken: it belongs to a query with other parameters",
                                      field="nextPageToken")
    return key, event_id, sent


def run_query(db: Database, q: EventQuery, principal: Principal | None) -> tuple[list[dict], str | None]:
    """(event rows of this page, next page token or None)."""
    party = party_of(principal)
    after_key, after_id, sent = _read_token(q, party)
    params = {**q.cypher(), "party": party}
    if q.max_event_count is not None and q.next_page_token is None:
        found = db.read("epcis/query_events", **params, after_key=None, after_id=None, limit=q.max_event_count + 1)
        if len(found) > q.max_event_count:
            raise QueryTooLargeException(f"the query matches more than maxEventCount={q.max_event_count} events; "
                                         "narrow it or page with perPage", field="maxEventCount")
    size = q.per_page
    if q.event_count_limit is not None:
        size = max(0, min(size, q.event_count_limit - sent))
    if size == 0:
        return [], None
    rows = db.read("epcis/query_events", **params, after_key=after_key, after_id=after_id, limit=size + 1)
    more = len(rows) > size and (q.event_count_limit is None or sent + size < q.event_count_limit)
    page = rows[:size]
    return page, _token(q, party, page[-1], sent + len(page)) if more else None


def _event(row: dict) -> tuple[dict, dict]:
    event = json.loads(row["raw"])
    event.pop("@context", None)
    event["eventID"] = row["event_id"]
    if row.get("recorded") is not None:
        event["recordTime"] = row["recorded"].iso_format()
    if row.get("declaration") and "errorDeclaration" not in event:
        event["errorDeclaration"] = json.loads(row["declaration"])
    return json.loads(row["context"]) if row.get("context") else {}, event


def _with_context(namespaces: dict) -> list:
    return [EPCIS_CONTEXT, namespaces] if namespaces else [EPCIS_CONTEXT]


def get_event(db: Database, event_id: str) -> dict:
    """One stored event by its eventID, as EPCIS 2.0 JSON-LD (`GET /epcis/events/{eventID}`)."""
    rows = db.read("epcis/event", id=event_id)
    if not rows:
        raise NoSuchResourceException(f"no event with eventID {event_id!r}", field="eventID")
    namespaces, event = _event(rows[0])
    return {"@context": _with_context(namespaces), **event}


def query_document(rows: list[dict], query_name: str = "SimpleEventQuery",
                   subscription_id: str | None = None) -> dict:
    """The EPCIS 2.0 EPCISQueryDocument (JSON-LD) of these event rows."""
    namespaces: dict = {}
    events = []
    for row in rows:
        ctx, event = _event(row)
        namespaces.update(ctx)
        events.append(event)
    results: dict = {"queryName": query_name}
    if subscription_id:
        results["subscriptionID"] = subscription_id
    results["resultsBody"] = {"eventList": events}
    return {
        "@context": _with_context(namespaces),
        "type": "EPCISQueryDocument", "schemaVersion": "2.0",
        "creationDate": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "epcisBody": {"queryResults": results},
    }


# -- named queries --------------------------------------------------------------------------

def _named(row: dict) -> NamedQuery:
    return NamedQuery(name=row["name"], query=json.loads(row["query"]), owner=row["owner"],
                      created=row["created"].to_native() if row.get("created") else None)


def create_named(db: Database, new: NewNamedQuery, principal: Principal, request_id: str | None = None) -> NamedQuery:
    parse(db, new.query)  # refused here, not when first run

    def write(tx: ManagedTransaction) -> bool:
        created = run(tx, "epcis/query_create", query_name=new.name, query=json.dumps(new.query),
                      owner=principal.id, party=party_of(principal))[0]["created"]
        if created:
            audit.record(tx, actor=principal.id, action="epcis.query.create", subject=new.name,
                         after=new.query, request_id=request_id)
        return created
    if not db.write_tx(write):
        raise DuplicateNameException(f"a query named {new.name!r} exists; delete it first or pick another name",
                                     field="name")
    return get_named(db, new.name, principal)


def get_named(db: Database, name: str, principal: Principal | None) -> NamedQuery:
    rows = db.read("epcis/query_get", query_name=name)
    party = party_of(principal)
    if not rows or (party is not None and rows[0]["party"] != party):
        raise NoSuchNameException(f"no query named {name!r}", field="name")
    return _named(rows[0])


def list_named(db: Database, principal: Principal) -> list[NamedQuery]:
    return [_named(r) for r in db.read("epcis/query_list", party=party_of(principal))]


def delete_named(db: Database, name: str, principal: Principal, request_id: str | None = None) -> None:
    get_named(db, name, principal)

    def write(tx: ManagedTransaction) -> None:
        found = run(tx, "epcis/query_delete", query_name=name)
        audit.record(tx, actor=principal.id, action="epcis.query.delete", subject=name,
                     after={"subscriptions_ended": found[0]["subscriptions"] if found else 0}, request_id=request_id)
    db.write_tx(write)


def named_events(db: Database, name: str, principal: Principal, extra: dict) -> tuple[EventQuery, list, str | None]:
    """A named query's results; `extra` are the URL's paging parameters (perPage, nextPageToken)."""
    named = get_named(db, name, principal)
    unknown = sorted(set(extra) - {"perPage", "nextPageToken"})
    if unknown:
        raise QueryParameterException(f"{unknown[0]}: a named query takes only perPage and nextPageToken here",
                                      field=unknown[0])
    q = parse(db, {**named.query, **extra})
    rows, token = run_query(db, q, principal)
    return q, rows, token


def after_write(tx: ManagedTransaction, event_ids: list[str]) -> None:
    """Capture hook: facets of stored events a document declared erroneous commit with it
    (its new events got theirs at creation: `capture_facets`)."""
    if event_ids:
        index_events(tx, event_ids, set(run(tx, "ingest/known_prefixes")[0]["prefixes"]))


def capture_facets(tx: ManagedTransaction, doc, events: list) -> dict[str, dict]:
    """Capture hook: the facets of a document's new events by event ID, from the parsed
    events, for the writer to store as it creates them (what `index_events` would read back
    and write again; the company prefixes are those known once the document's are stored)."""
    found = document_facets(doc, events, set(run(tx, "ingest/known_prefixes")[0]["prefixes"]))
    return {event_id: facets.stored(lists) for event_id, lists in found.items()}


def document_facets(doc, events: list, known: set[str]) -> dict[str, dict]:
    """The facets of a document's new events by event ID, with the company prefixes `known`
    before it and its own (the capture hook and the bulk loader's replay alike)."""
    ids = canonical(Canonicaliser(set(known) | set(doc.prefixes)))
    namespaces = doc.context or {}
    return {ev.event_id: facets.of_event(ev.raw, namespaces, ev.error_declaration or None, ids) for ev in events}


EVENT_TYPES = ("ObjectEvent", "AggregationEvent", "TransformationEvent", "AssociationEvent", "TransactionEvent")
RESOURCE_QUERIES = {"eventTypes": "event_types", "epcs": "epcs", "bizSteps": "biz_steps",
                    "bizLocations": "biz_locations", "readPoints": "read_points", "dispositions": "dispositions"}
CBV_WEB = {"bizSteps": "https://ref.gs1.org/cbv/BizStep-", "dispositions": "https://ref.gs1.org/cbv/Disp-"}


def resource_values(db: Database, kind: str, principal: Principal, after: str | None, limit: int) -> list[str]:
    """A top-level resource's members (CBV words as their GS1 web URIs, as the binding lists them)."""
    prefix = CBV_WEB.get(kind, "")
    if after and prefix and after.startswith(prefix):
        after = after[len(prefix):]
    party = party_of(principal)
    if party is None:  # every event: read off an index (cypher/epcis/resource_<kind>.cypher)
        rows = db.read(f"epcis/resource_{RESOURCE_QUERIES[kind]}", after=after, limit=limit)
    else:  # a partner's events, from its Party node
        rows = db.read("epcis/resource_values", kind=kind, party=party, after=after, limit=limit)
    return [(prefix + r["value"]) if prefix and facets.cbv_word(r["value"]) else r["value"] for r in rows]


def capture_jobs(db: Database, limit: int, token: str | None) -> tuple[list[dict], str | None]:
    after = None
    if token:
        try:
            after = datetime.fromisoformat(token).isoformat()
        except ValueError as exc:
            raise QueryParameterException("nextPageToken: not a token this service issued",
                                          field="nextPageToken") from exc
    rows = db.read("epcis/jobs_list", after=after, limit=limit + 1)
    jobs = []
    for r in rows[:limit]:
        j = r["job"]
        jobs.append({"captureID": j["id"], "createdAt": j["created"].iso_format(),
                     "finishedAt": j["finished"].iso_format() if j.get("finished") else None,
                     "running": j["status"] == "running", "success": j["status"] == "success",
                     "captureErrorBehaviour": "rollback",
                     "errors": [json.loads(e) for e in j.get("errors") or []],
                     "eventsNew": j.get("events_new"), "eventsSkipped": j.get("events_skipped")})
    more = len(rows) > limit
    return jobs, (rows[limit - 1]["job"]["created"].to_native().isoformat() if more else None)
