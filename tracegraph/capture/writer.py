"""Write a parsed document to Neo4j in ONE transaction: all of it or nothing.

Rows are built in Python, then sent as `UNWIND $rows` batches of named queries.
Events already stored (same eventID) are skipped, so re-loading is a no-op.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from neo4j import ManagedTransaction
from neo4j.exceptions import ConstraintError

from core import fastjson
from core.epcis.models import Event
from core.identifiers import parse_epc_urn
from core.identifiers.epc import lot_class
from graph.db import Database, run
from loaders.epcis.document import Document
from loaders.epcis.normalize import idpat_gtin, is_opaque, opaque_gtin

log = logging.getLogger("tracegraph.ingest")

@dataclass
class LoadResult:
    source: str
    events_new: int
    events_skipped: int
    created: bool  # False when the same document (by digest) was loaded before
    notes: dict = field(default_factory=dict)  # what ingest hooks reported (findings, alerts)
    events_declared: int = 0  # stored events this document declared erroneous
    digest: str = ""  # the document's content digest (its alerts are counted under it)

    @property
    def noop(self) -> bool:
        return self.events_new == 0 and self.events_declared == 0


def _batches(rows: list, size: int) -> Iterator[list]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def making_roles(event: Event, commissioning: tuple[str, ...]) -> tuple[str, ...]:
    """The roles in which the event made the objects or lots it names: of those it commissions in
    (`commissioning`: Event.commissioning_roles), an output, or any with the commissioning step (an
    ADD alone is not a making). A node's making event is the earliest such (by time, then event id),
    stored on it as `made_time` and `made_event` (the genealogy shows it; migration 0004 fills
    older stores). Recall starts and verification spell it out in Cypher
    (tests/test_commissioning_statements.py holds them to it)."""
    return tuple(role for role in commissioning if role == "output" or event.biz_step == "commissioning")


def carries_certificates(event: Event) -> bool:
    """The event has a certificationInfo: stored as `has_cert_info` (migration 0003 for older stores),
    so the genealogy reads the raw JSON of these events only."""
    return "certificationInfo" in event.raw


def is_check(event: Event) -> bool:
    """An inspection (bizStep `inspecting`) or an event carrying a certificationInfo: what the
    genealogy lists as a node's checks. Such an event is labelled `:Check` (ingest/events, the bulk
    loader, migration 0005), so an upstream lot's few are told from the thousands of events that
    took from it by the label alone, without reading each one's properties."""
    return event.biz_step == "inspecting" or carries_certificates(event)


def _lot_urn(item_urn: str, lot_number: str) -> tuple[str, str]:
    """The LGTIN class of an item's lot (the URN escapes the lot number)."""
    epc = parse_epc_urn(item_urn)
    return lot_class(epc.company_prefix, epc.item_ref, lot_number), epc.gs1_key


class Rows:
    """Everything one document writes, as rows for the ingest queries."""

    def __init__(self, doc: Document, events: list[Event]):
        self.parties = [{"epc": epc, "props": _props(a)} for epc, a in doc.parties]
        self.sites = [{"epc": epc, "props": _props(a, exclude=("owner", "parent_site")),
                       "owner": a.get("owner"), "parent": a.get("parent_site")} for epc, a in doc.sites]
        self.products = [{"gtin": gtin, "props": _props(a, exclude=("manufacturer",)),
                          "manufacturer": a.get("manufacturer")} for gtin, a in doc.products]
        self.items: dict[str, dict] = {}
        self.containers: dict[str, dict] = {}
        self.others: dict[str, dict] = {}
        self.places: set[str] = set()
        self.party_refs: set[str] = set()
        self.declarations: list[dict] = []
        self.lots: dict[str, dict] = {}
        self.events: list[dict] = []
        self.lot_members, self.lot_dates, self.pack, self.unpack = [], [], [], []
        self.tids: list[str] = []
        self.now = datetime.now(UTC)
        recorded = self.recorded = _iso(self.now)
        self.context = json.dumps(doc.context, sort_keys=True) if doc.context else None
        for seq, ev in enumerate(sorted(events, key=lambda e: e.time)):
            self._event(ev, seq, recorded)

    def _object(self, urn: str) -> None:
        if urn in self.items or urn in self.containers or urn in self.others:
            return
        if is_opaque(urn):
            self.others[urn] = {"epc": urn}
            return
        epc = parse_epc_urn(urn)
        if epc.kind == "serial":
            self.items[urn] = {"epc": urn, "gtin": epc.gs1_key, "serial": epc.serial}
        else:
            self.containers[urn] = {"epc": urn, "scheme": epc.scheme}

    def _event(self, ev: Event, seq: int, recorded: str) -> None:
        dest_sites = [p.epc for p in ev.destinations if p.epc.startswith("urn:epc:id:sgln:")]
        # when what it makes (packing, unpacking, lot binding) is known for as-of questions: once it
        # had happened and been recorded (the links' `known`, trace/packed_as_of, genealogy/known_as_of)
        known = _iso(max(ev.time, self.now))
        touches, classes, shipments = [], [], []
        self.events.append({"type": ev.type, "touches": touches, "classes": classes, "shipments": shipments,
                            "check": is_check(ev), "props": {
            "event_id": ev.event_id, "type": ev.type, "time": _iso(ev.time), "time_offset": ev.time_offset,
            "action": ev.action, "biz_step": ev.biz_step, "disposition": ev.disposition,
            "read_point": ev.read_point, "biz_location": ev.biz_location, "destinations": dest_sites,
            "transformation_id": ev.transformation_id, "recorded": recorded, "seq": seq,
            "raw": fastjson.dumps(ev.raw), "context": self.context,
            # genealogy lists certificate-carrying events without reading every raw event
            "has_cert_info": carries_certificates(ev),
        }})
        if ev.error_declaration:
            self.declare(ev)
        if ev.biz_location:
            self.places.add(ev.biz_location)
        parent = next((o.epc for o in ev.objects if o.role == "parent"), None)
        commissioning = ev.commissioning_roles()  # once per event, not per object
        making = making_roles(ev, commissioning)
        for obs in ev.objects:
            self._object(obs.epc)
            commissions = obs.role in commissioning
            touches.append({"epc": obs.epc, "role": obs.role, "commissions": commissions,
                            "makes": obs.role in making})
            if commissions and ev.lot_number and obs.epc in self.items:
                lot, gtin = _lot_urn(obs.epc, ev.lot_number)
                self.lot_members.append({"item": obs.epc, "lot": lot, "gtin": gtin, "event_id": ev.event_id,
                                         "lot_number": ev.lot_number, "expiry": ev.expiry, "known": known})
            if ev.type == "AggregationEvent" and obs.role == "child" and parent:
                row = {"event_id": ev.event_id, "time": _iso(ev.time), "parent": parent, "child": obs.epc,
                       "known": known}
                if ev.action == "ADD":
                    self.pack.append(row)
                elif ev.action == "DELETE":
                    self.unpack.append(row)
        if ev.type == "AggregationEvent" and ev.action == "DELETE" and parent and \
                not any(o.role == "child" for o in ev.objects):
            self.unpack.append({"event_id": ev.event_id, "time": _iso(ev.time), "parent": parent, "child": None,
                                "known": known})
        for cls in ev.classes:
            if cls.epc.startswith("urn:epc:idpat:sgtin:"):
                gtin = idpat_gtin(cls.epc)
            elif is_opaque(cls.epc) or cls.epc.startswith("urn:epc:idpat:"):
                gtin = opaque_gtin(cls.epc)
                self.lots.setdefault(cls.epc, {"epc": cls.epc, "gtin": gtin, "lot": None})
            else:
                epc = parse_epc_urn(cls.epc)
                gtin = epc.gs1_key
                self.lots.setdefault(cls.epc, {"epc": cls.epc, "gtin": gtin, "lot": epc.lot})
            commissions = cls.role in commissioning
            classes.append({"epc": cls.epc, "gtin": gtin, "role": cls.role, "is_lot": cls.epc in self.lots,
                            "quantity": cls.quantity, "uom": cls.uom, "commissions": commissions,
                            "makes": cls.role in making})
            if commissions and ev.expiry and cls.epc in self.lots:
                self.lot_dates.append({"lot": cls.epc, "expiry": ev.expiry})
        for direction, parties in (("source", ev.sources), ("destination", ev.destinations)):
            for p in parties:
                is_site = p.epc.startswith("urn:epc:id:sgln:")
                (self.places if is_site else self.party_refs).add(p.epc)
                shipments.append({"direction": direction, "type": p.type, "epc": p.epc, "is_site": is_site})
        if ev.type == "TransformationEvent" and ev.transformation_id:
            self.tids.append(ev.transformation_id)

    def declare(self, ev: Event) -> None:
        d = ev.error_declaration or {}
        self.declarations.append({
            "event_id": ev.event_id, "declaration": fastjson.dumps(d),
            "declaration_time": d.get("declarationTime"), "reason": d.get("reason"),
            "corrective": [str(c) for c in d.get("correctiveEventIDs") or []],
            "declared_at": declared_at(d.get("declarationTime"), self.recorded)})

    def member_lots(self) -> list[dict]:
        """The lots `lot_members` binds serials to, once each: the last expiry given wins, as
        when each binding set it in turn."""
        lots: dict[str, dict] = {}
        for m in self.lot_members:
            lot = lots.setdefault(m["lot"], {"lot": m["lot"], "gtin": m["gtin"], "lot_number": m["lot_number"],
                                             "expiry": None})
            lot["expiry"] = m["expiry"] if m["expiry"] is not None else lot["expiry"]
        return list(lots.values())

    def steps(self) -> list[tuple[str, list]]:
        """(query, rows) in dependency order; packing before unpacking."""
        return [
            ("ingest/parties", self.parties), ("ingest/sites", self.sites), ("ingest/products", self.products),
            ("ingest/items", list(self.items.values())), ("ingest/containers", list(self.containers.values())),
            ("ingest/other_objects", list(self.others.values())),
            ("ingest/lots", list(self.lots.values())), ("ingest/events", self.events),
            ("ingest/member_lots", self.member_lots()), ("ingest/lot_members", self.lot_members),
            ("ingest/lot_dates", self.lot_dates), ("ingest/pack", self.pack), ("ingest/unpack", self.unpack),
        ]


def declared_at(declaration_time, recorded: str) -> str:
    """When an error declaration starts to count for as-of questions (trace/counts_as_of): once it
    had been made (its declarationTime) and recorded (`recorded`, ISO), the later of the two. A
    declarationTime that is not an ISO time with an offset (nothing checks it without the JSON
    Schema) counts from the record."""
    record = datetime.fromisoformat(recorded)
    try:
        made = datetime.fromisoformat(str(declaration_time))
        return _iso(max(made, record)) if made.tzinfo else recorded
    except ValueError:
        return recorded


def _iso(t: datetime) -> str:
    """Times travel as ISO strings and become DateTimes in Cypher (`datetime(r.time)`): the
    driver's Python-side datetime packing cost more than the rest of the ingest query."""
    return t.isoformat()


def _props(attrs: dict, exclude: tuple[str, ...] = ()) -> dict:
    return {k: v for k, v in attrs.items() if k not in exclude and v is not None}


def stored_events(tx: ManagedTransaction, ids: list[str]) -> tuple[set[str], set[str]]:
    """Of these event IDs: those already stored, and those of them already declared erroneous."""
    existing: set[str] = set()
    declared: set[str] = set()
    for chunk in _batches(ids, 10_000):
        found = run(tx, "ingest/existing_events", ids=chunk)[0]
        existing.update(found["existing"])
        declared.update(found["declared"])
    return existing, declared


def write_document(db: Database, doc: Document, progress: Callable[[int], None] | None = None,
                   actor: str = "system", request_id: str | None = None,
                   finish: Callable[[ManagedTransaction, LoadResult], None] | None = None,
                   rules_now: bool = True) -> LoadResult:
    """Apply a document atomically. `progress(n)` is told of n more events written.
    `actor` and `request_id` go to the audit trail; `finish` runs last in the same
    transaction (a capture job marks itself done there, so 'success' means committed).
    The incremental rules it owes run after the commit, before returning, unless
    `rules_now` is false (a bulk load answers them in the background)."""
    from tracegraph.capture import hooks as ingest_hooks

    batch = db.settings.write_batch_size

    named = sorted({o.epc for e in doc.events for o in e.objects})

    def work(tx: ManagedTransaction) -> LoadResult:
        ctx = ingest_hooks.IngestContext(tx, db.settings, doc, [], actor, request_id)
        # first, before reading anything: writers of the same items queue here (recalls/state.py)
        ingest_hooks.lock(ctx, named)
        existing, declared = stored_events(tx, [e.event_id for e in doc.events])
        new = ctx.events = [e for e in doc.events if e.event_id not in existing]
        ingest_hooks.before_write(ctx)
        rows = Rows(doc, new)
        facets = ingest_hooks.event_facets(ctx)
        for row in rows.events:
            props = row["props"]
            props.update(facets[props["event_id"]])
            # no destination site: no property, as the bulk importer stores an empty list
            props["destinations"] = props["destinations"] or None
        run(tx, "ingest/event_places", sites=sorted(rows.places), parties=sorted(rows.party_refs))
        for name, step_rows in rows.steps():
            for chunk in _batches(step_rows, batch):
                run(tx, name, rows=chunk, token=ctx.token)  # the objects' queries mark what they create
                if name == "ingest/events" and progress:
                    progress(len(chunk))
        # declarations of events stored earlier (new declared events were added by Rows)
        for e in doc.events:
            if e.error_declaration and e.event_id in existing and e.event_id not in declared:
                rows.declare(e)
        tids = set(rows.tids)
        for chunk in _batches(rows.declarations, batch):
            tids.update(run(tx, "ingest/declare_errors", rows=chunk)[0]["tids"])
        for chunk in _batches(sorted(tids), batch):
            run(tx, "ingest/genealogy", tids=chunk)
        ctx.declared = [d["event_id"] for d in rows.declarations if d["event_id"] in existing]
        ctx.declared_until = max((datetime.fromisoformat(d["declared_at"]) for d in rows.declarations),
                                 default=None)
        run(tx, "ingest/prefixes", prefixes=sorted(doc.prefixes))
        created = run(tx, "ingest/document", digest=doc.digest, source=doc.source, events=len(new))[0]["created"]
        if new or rows.declarations:
            ingest_hooks.after_write(ctx)
        result = LoadResult(doc.source, len(new), len(existing), created, ctx.notes, len(ctx.declared), doc.digest)
        if finish:
            finish(tx, result)
        return result

    result = _write_racing(db, work, doc.source)
    if doc.prefixes:
        db.memo.pop("company_prefixes", None)  # identity.company_prefixes: new ones count at once
    if rules_now and result.notes.get("rules_pending"):
        answer_rules(db, [result])
    return result


RACE_ATTEMPTS = 5


def _write_racing(db: Database, work: Callable[[ManagedTransaction], LoadResult], source: str) -> LoadResult:
    """`db.write_tx(work)`, run again when a writer of the same new events or nodes committed
    first: the uniqueness constraint refused ours (the driver retries deadlocks, not this),
    and the next attempt finds them stored and skips them, so loading the same document
    concurrently is a quiet no-op for the later writers. A refusal that persists is real."""
    for attempt in range(1, RACE_ATTEMPTS + 1):
        try:
            return db.write_tx(work)
        except ConstraintError:
            if attempt == RACE_ATTEMPTS:
                raise
            log.info("%s: a concurrent writer stored the same events first; writing it again", source)
    raise AssertionError("unreachable")


def answer_rules(db: Database, results: list[LoadResult], earlier: dict[str, dict] | None = None) -> None:
    """Run the owed incremental rules; their alert counts (with `earlier` ones, by digest) go
    to the results' notes. The documents are committed already: a failure here is logged
    and leaves the rules owed (`rules_pending` stays true) for the next write or
    `tracegraph rules pending --run`."""
    from tracegraph.rules import service as rules
    try:
        counts = rules.add_counts(rules.run_pending(db), earlier or {})
    except Exception:
        log.exception("incremental rules could not run now; they stay owed")
        return
    for result in results:
        if result.notes.pop("rules_pending", False) and any(counts.get(result.digest, {}).values()):
            result.notes["alerts"] = counts[result.digest]
