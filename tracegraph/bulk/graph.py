"""The graph the streaming writer builds from these documents, replayed in memory in the same
order and written as CSV files for `neo4j-admin database import full`.

Each document's rows come from the streaming writer itself (tracegraph.capture.writer.Rows);
what the ingest queries do with them (cypher/ingest/*.cypher: MERGE on keys, ON CREATE
properties, earliest commissioning, packing intervals closed by unpacking, declarations) is
applied here to plain Python state. Events and their relationships are streamed to CSV as
they come; the rest (objects, lots, packing) is written at the end.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from core.epcis.models import Event
from loaders.epcis.document import Document
from tracegraph.bulk import genealogy
from tracegraph.bulk import state as bulk_state
from tracegraph.capture.writer import Rows, declared_at
from tracegraph.epcis_query import service as epcis_query
from tracegraph.quality import checks
from tracegraph.rules import history

ARRAY = "\x1d"  # --array-delimiter=U+001D: in no URI, ID or ILMD value (facets use U+001F inside values)
ARRAY_OPTION = "U+001D"


def _dt(iso: str | None) -> datetime | None:
    return datetime.fromisoformat(iso) if iso else None


def _iso(t: datetime | None) -> str | None:
    return t.isoformat() if t else None


def _made(made: tuple[datetime, str] | None) -> tuple[str | None, str | None]:
    return (None, None) if made is None else (_iso(made[0]), made[1])


def _list(values: list[str]) -> str:
    return ARRAY.join(values)


class CsvOut:
    """A CSV file as neo4j-admin reads it (RFC 4180 quoting; csv.QUOTE_NOTNULL before Python 3.12)."""

    def __init__(self, path: Path, header: list[str]):
        self.file = open(path, "w", encoding="utf-8")  # noqa: SIM115 (closed by close)
        self.lines: list[str] = []  # written in batches: a write per line cost a tenth of the line
        self.writerow(header)

    def writerow(self, row) -> None:
        """None as an empty field (no property); every string quoted, so "" is an empty string (an empty
        list still imports as no property, as the streaming writer stores one too); numbers
        as str() writes them (a float's shortest repr). One expression, no call per field: a call cost a
        third of the line (csv.writer is no faster, and its QUOTE_NONNUMERIC quotes None)."""
        self.lines.append(",".join(['"' + v.replace('"', '""') + '"' if isinstance(v, str)
                                    else "" if v is None else str(v) for v in row]) + "\n")
        if len(self.lines) >= _BATCH:
            self.flush()

    def writestrs(self, row: list[str]) -> None:
        """A row of strings only (as writerow writes it): one join, when no value holds a quote."""
        try:
            line = '","'.join(row)
        except TypeError:  # not all strings after all
            line = None
        if line is None or line.count('"') != 2 * len(row) - 2:  # or a value holds a quote, to double
            self.writerow(row)
            return
        self.lines.append('"' + line + '"\n')
        if len(self.lines) >= _BATCH:
            self.flush()

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)

    def flush(self) -> None:
        self.file.write("".join(self.lines))
        self.lines.clear()

    def close(self) -> None:
        self.flush()
        self.file.close()


_BATCH = 2000


class Obj:
    """An Object node: Item, Container, or a URI kept as given."""
    __slots__ = ("commissioned", "gtin", "kind", "lot", "made", "scheme", "serial")

    def __init__(self, kind: str, gtin=None, serial=None, scheme=None):
        self.kind, self.gtin, self.serial, self.scheme = kind, gtin, serial, scheme
        self.commissioned: datetime | None = None
        self.lot: str | None = None
        self.made: tuple[datetime, str] | None = None  # (time, event id) of the making event


@dataclass
class Lot:
    gtin: str | None
    lot: str | None
    expiry: str | None = None
    manufactured: datetime | None = None
    made: tuple[datetime, str] | None = None


@dataclass(eq=False)
class Packing:
    """One IN relationship (child in parent from `start` until `end`), `known` (ISO) when its
    packing had happened and been recorded, `end_known` the same for its unpacking; as a WAS_IN,
    `retracted` when an error declaration undid it; a reopened one is known `since` then."""
    child: str
    parent: str
    start: datetime
    start_event: str
    known: str
    end: datetime | None = None
    end_event: str | None = None
    end_known: str | None = None
    since: str | None = None
    retracted: str | None = None


@dataclass
class Declaration:
    event_id: str
    declaration: str
    declaration_time: str | None
    reason: str | None
    corrective: list[str]
    declared_at: str


@dataclass
class Findings:
    """Flagged data-quality violations of one document, recorded after the import."""
    doc: Document
    events: list[Event]
    flagged: list = field(default_factory=list)


# ingest/item_state's properties, imported on the items (an empty list: no property, as ingest/item_state stores it)
STATE_COLUMNS = ["state_site", "state_status", "state_direct:boolean", "state_ship_ms:long[]", "state_ship_to:string[]",
                 "state_where:string[]", "state_v:long", "state_key", "state_known:datetime"]

# (file stem, header) of every CSV; a relationship file's type is in its name
NODE_FILES = {
    "events": ["event_id:ID(Event)", ":LABEL", "type", "time:datetime", "time_offset", "action", "biz_step",
               "disposition", "read_point", "biz_location", "destinations:string[]", "transformation_id",
               "recorded:datetime", "seq:long", "raw", "context", "q_keys:string[]", "q_str:string[]", "q_nk:string[]",
               "q_nv:double[]", "has_cert_info:boolean"],
}
MADE_COLUMNS = ["made_time:datetime", "made_event"]  # an object's or lot's making event (ingest/events)
REL_FILES = {
    "AT": [":START_ID(Event)", ":END_ID(Site)"],
    "OBSERVED": [":START_ID(Event)", ":END_ID(Object)", "role"],
    "OBSERVED_CLASS.lot": [":START_ID(Event)", ":END_ID(Lot)", "role", "quantity:double", "uom"],
    "OBSERVED_CLASS.product": [":START_ID(Event)", ":END_ID(Product)", "role", "quantity:double", "uom"],
    "SHIPMENT.site": [":START_ID(Event)", ":END_ID(Site)", "direction", "type"],
    "SHIPMENT.party": [":START_ID(Event)", ":END_ID(Party)", "direction", "type"],
}


class GraphBuilder:
    """Feed documents in load order (`add`), then `finish` writes the remaining CSVs."""

    def __init__(self, out: Path, recorded: datetime):
        self.out = out
        self.recorded = recorded.isoformat()
        self.recorded_at = recorded
        out.mkdir(parents=True, exist_ok=True)
        self.writers = {name: CsvOut(out / f"{name}.csv", header)
                        for name, header in {**NODE_FILES, **REL_FILES}.items()}
        self.objects: dict[str, Obj] = {}
        self.lots: dict[str, Lot] = {}
        self.products: set[str] = set()
        self.sites: set[str] = set()
        self.parties: set[str] = set()
        self.prefixes: set[str] = set()
        self.documents: dict[str, tuple[str, int]] = {}  # digest -> (source, events)
        self.declared: dict[str, Declaration] = {}
        self.tids: set[str] = set()
        self.steps: dict[str, list[genealogy.Step]] = defaultdict(list)  # transformationID -> its events
        self.has_item: dict[tuple[str, str], list[str]] = {}  # (lot, item) -> commissioning events
        self.item_lots: dict[str, list[str]] = {}
        self.lot_products: set[tuple[str, str]] = set()
        # every packing, in the order made: a dict as an ordered set, so a declaration's removal is not a
        # scan of all of them (Packing compares by identity)
        self.packing: dict[Packing, None] = {}
        self.open_in: dict[str, dict[str, list[Packing]]] = defaultdict(dict)  # parent -> child -> open packings
        self.by_start: dict[str, list[Packing]] = defaultdict(list)
        self.by_end: dict[str, list[Packing]] = defaultdict(list)
        # what error declarations undid, kept for as-of questions (ingest/declare_errors): WAS_IN, WAS_INTO
        self.was_in: list[Packing] = []
        self.was_into: list[genealogy.Link] = []
        self.tid_of: dict[str, str] = {}  # transformation event -> its transformationID
        self.undone: set[tuple[int, str]] = set()  # (document, transformationID) whose links a declaration undid
        self.master: list[Document] = []  # documents with header master data, replayed after the import
        self.findings: list[Findings] = []
        # what the quality checks read from the database in a streaming load (quality/items etc.)
        self.facts_commissioned: dict[str, datetime] = {}
        self.site_types: dict[str, str] = {}
        self.serial_formats: dict[str, str] = {}
        self.balance: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
        self.events_new = 0
        # what the items' stored state reads (tracegraph/bulk/state.py)
        self.seen: dict[str, bulk_state.Seen] = {}  # every event stored so far (also the set of their ids)
        self.touched: dict[str, list[tuple[str, str]]] = defaultdict(list)  # epc -> (event, role)
        self.loaded = 0  # documents replayed so far
        self.items_state = 0  # items whose state finish() wrote
        self.histories: dict[str, list[str]] = {}  # item -> the events that saw it (finish() fills it)
        # one copy of each value the kept events repeat (a document's parse makes each event its own
        # strings and lists): most of an event's memory left to the end of a load was these copies
        self.shared: dict = {}

    # -- validation input ------------------------------------------------------------------

    def new_events(self, doc: Document) -> list[Event]:
        return [e for e in doc.events if e.event_id not in self.seen]

    def facts(self, events: list[Event]) -> checks.Facts:
        """The quality checks' facts, as the streaming writer would read them at this document."""
        facts = checks.Facts()
        for epc in checks.serials(events):
            if epc in self.facts_commissioned:
                facts.commissioned[epc] = self.facts_commissioned[epc]
                facts.lots[epc] = self.item_lots.get(epc, [])
        # the builder's own maps, not copies (each as long as the data): the checks only read them,
        # before add() changes them; a balance is [made, drawn] where the checks unpack (made, drawn)
        facts.site_types = self.site_types
        facts.serial_regex = self.serial_formats
        facts.balance = self.balance
        return facts

    # -- replay --------------------------------------------------------------------------------

    def add(self, doc: Document, new: list[Event], flagged: list) -> None:
        """Apply one validated document as ingest/* would (capture/writer.write_document's order)."""
        if flagged:
            self.findings.append(Findings(doc, new, flagged))
        rows = Rows(doc, new)
        # the EPCIS query facets the capture hook computes, with the company prefixes known
        # once this document's are stored
        found = epcis_query.document_facets(doc, new, self.prefixes)
        for ev, row in zip(sorted(new, key=lambda e: e.time), rows.events, strict=True):
            row["facets"] = found[ev.event_id]
            row["time"] = ev.time  # the time props["time"] was written from: not parsed back
        self.sites |= rows.places
        self.parties |= rows.party_refs
        if doc.parties or doc.sites or doc.products:  # kept to the end of the load: its master data only
            self.master.append(replace(doc, events=[]))
        self.parties |= {epc for epc, _ in doc.parties}
        for epc, attrs in doc.sites:
            self.sites.add(epc)
            if attrs.get("site_type"):
                self.site_types[epc] = attrs["site_type"]
        for gtin, attrs in doc.products:
            self.products.add(gtin)
            if attrs.get("serial_format"):
                self.serial_formats[gtin] = attrs["serial_format"]
        for epc, r in rows.items.items():
            if epc not in self.objects:
                self.objects[epc] = Obj("item", gtin=r["gtin"], serial=r["serial"])
            self.products.add(r["gtin"])
        for epc, r in rows.containers.items():
            self.objects.setdefault(epc, Obj("container", scheme=r["scheme"]))
        for epc in rows.others:
            self.objects.setdefault(epc, Obj("other", scheme="uri"))
        for epc, r in rows.lots.items():
            if epc not in self.lots:
                self.lots[epc] = Lot(r["gtin"], r["lot"])
            if r["gtin"] is not None:
                self.products.add(r["gtin"])
                self.lot_products.add((epc, r["gtin"]))
        self.loaded += 1
        for ev in rows.events:
            self._event(ev)
        for r in rows.lot_members:
            key = (r["lot"], r["item"])
            if r["lot"] not in self.lots:
                self.lots[r["lot"]] = Lot(r["gtin"], r["lot_number"])
            lot = self.lots[r["lot"]]
            if key not in self.has_item:
                self.item_lots.setdefault(r["item"], []).append(r["lot"])
            self.has_item.setdefault(key, []).append(r["event_id"])
            self.objects[r["item"]].lot = r["lot"]
            lot.expiry = r["expiry"] if r["expiry"] is not None else lot.expiry
            self.products.add(r["gtin"])
            self.lot_products.add((r["lot"], r["gtin"]))
        for r in rows.lot_dates:
            lot = self.lots[r["lot"]]
            lot.expiry = r["expiry"] if r["expiry"] is not None else lot.expiry
        for r in rows.pack:
            start = _dt(r["time"])
            p = Packing(r["child"], r["parent"], start, r["event_id"], self._known(start))
            self.packing[p] = None
            self.open_in[p.parent].setdefault(p.child, []).append(p)
            self.by_start[p.start_event].append(p)
        for r in rows.unpack:
            self._unpack(r)
        fresh = {e.event_id for e in new}
        for e in doc.events:  # declarations of events stored by earlier documents
            if e.error_declaration and e.event_id in self.seen and e.event_id not in fresh \
                    and e.event_id not in self.declared:
                rows.declare(e)
        for d in rows.declarations:
            self._declare(d)
        self.tids.update(rows.tids)
        self.prefixes |= doc.prefixes
        self.documents.setdefault(doc.digest, (doc.source, len(new)))
        self.events_new += len(new)
        self._quality_facts(new)

    def _quality_facts(self, events: list[Event]) -> None:
        for ev in events:
            if ev.error_declaration:
                continue
            roles = ev.commissioning_roles()
            for obs in ev.objects if roles else ():
                if obs.role in roles and obs.epc.startswith(checks.SGTIN):
                    t = self.facts_commissioned.get(obs.epc)
                    if t is None or ev.time < t:
                        self.facts_commissioned[obs.epc] = ev.time
            for c in ev.classes:
                if c.quantity is None or not c.epc.startswith(checks.LGTIN):
                    continue
                key = (c.epc, c.uom or "")
                if c.role == "input":
                    self.balance[key][1] += c.quantity
                elif c.role in roles:
                    self.balance[key][0] += c.quantity

    def _event(self, ev: dict) -> None:
        p = ev["props"]
        eid = p["event_id"]
        time = ev["time"]
        labels = f"Event{ARRAY}{p['type']}" if p["type"] in _EVENT_LABELS else "Event"
        if ev["check"]:  # as ingest/events labels it (writer.is_check)
            labels += f"{ARRAY}Check"
        f = ev["facets"]
        self.writers["events"].writerow([
            eid, labels, p["type"], p["time"], p["time_offset"], p["action"], p["biz_step"],
            p["disposition"], p["read_point"], p["biz_location"], ARRAY.join(p["destinations"]), p["transformation_id"],
            self.recorded, p["seq"], p["raw"], p["context"], ARRAY.join(f["q_keys"]), ARRAY.join(f["q_str"]),
            ARRAY.join(f["q_nk"]), ARRAY.join(map(repr, f["q_nv"])), "true" if p["has_cert_info"] else "false"])
        if p["biz_location"]:
            self.writers["AT"].writestrs([eid, p["biz_location"]])
        one = self.shared.setdefault
        self.seen[eid] = bulk_state.Seen(time, (self.loaded, p["seq"]), one(p["type"], p["type"]),
                                         one(p["action"], p["action"]), one(p["disposition"], p["disposition"]),
                                         one(p["biz_step"], p["biz_step"]), one(p["biz_location"], p["biz_location"]),
                                         one(p["read_point"], p["read_point"]),
                                         one(tuple(p["destinations"]), p["destinations"]))
        step = genealogy.Step(eid, p["time"], doc=self.loaded) if p["transformation_id"] else None
        if step:
            self.steps[p["transformation_id"]].append(step)
            self.tid_of[eid] = p["transformation_id"]
        observed, touched, objects = self.writers["OBSERVED"].writestrs, self.touched, self.objects
        for t in ev["touches"]:
            epc, role = t["epc"], t["role"]
            observed([eid, epc, role])
            touched[epc].append((eid, role))
            if step:
                step.add(role, ("Object", epc), None, None)
            obj = objects[epc]
            if t["commissions"] and (obj.commissioned is None or time < obj.commissioned):
                obj.commissioned = time
            if t["makes"] and (obj.made is None or (time, eid) < obj.made):  # as ingest/events
                obj.made = (time, eid)
        for t in ev["classes"]:
            if t["is_lot"]:
                self.writers["OBSERVED_CLASS.lot"].writerow([eid, t["epc"], t["role"], t["quantity"], t["uom"]])
                if step:
                    step.add(t["role"], ("Lot", t["epc"]), t["quantity"], t["uom"])
                lot = self.lots[t["epc"]]
                if t["commissions"] and (lot.manufactured is None or time < lot.manufactured):
                    lot.manufactured = time
                if t["makes"] and (lot.made is None or (time, eid) < lot.made):
                    lot.made = (time, eid)
            elif t["gtin"] in self.products:  # ingest/events MATCHes the product: none, no relationship
                self.writers["OBSERVED_CLASS.product"].writerow([eid, t["gtin"], t["role"], t["quantity"],
                                                                 t["uom"]])
                if step:
                    step.add(t["role"], ("Product", t["gtin"]), t["quantity"], t["uom"])
        for t in ev["shipments"]:
            self.writers["SHIPMENT.site" if t["is_site"] else "SHIPMENT.party"].writerow(
                [eid, t["epc"], t["direction"], t["type"]])

    def _unpack(self, r: dict) -> None:
        """ingest/unpack: per child, the latest open packing that began by then ends."""
        time = _dt(r["time"])
        children = self.open_in.get(r["parent"], {})
        for child in ([r["child"]] if r["child"] is not None else list(children)):
            candidates = [p for p in children.get(child, []) if p.start <= time]
            if not candidates:
                continue
            latest = max(candidates, key=lambda p: p.start)
            latest.end, latest.end_event, latest.end_known = time, r["event_id"], self._known(time)
            children[child].remove(latest)
            self.by_end[r["event_id"]].append(latest)

    def _declare(self, d: dict) -> None:
        """ingest/declare_errors: the packing the event began goes, the packing it ended reopens, the
        links of its transformation made so far go (ingest/genealogy makes them again without it);
        what goes is kept as WAS_IN and WAS_INTO, retracted when the declaration counts from."""
        at = declared_at(d["declaration_time"], self.recorded)  # as of the bulk load's record
        tid = self.tid_of.get(d["event_id"])
        if tid is not None and (self.loaded, tid) not in self.undone:
            # the links as they stood before this document: ingest/genealogy had not yet run for its events
            self.undone.add((self.loaded, tid))
            before = [s for s in self.steps[tid] if s.doc < self.loaded]
            self.was_into += [replace(k, retracted=at) for k in genealogy.links({tid: before}, self.declared.keys())]
        self.declared[d["event_id"]] = Declaration(d["event_id"], d["declaration"], d["declaration_time"],
                                                   d["reason"], d["corrective"], at)
        for p in self.by_start.pop(d["event_id"], []):
            if self.packing.pop(p, False) is None:  # still a packing (not undone by an earlier declaration)
                self.was_in.append(replace(p, retracted=at))
            opened = self.open_in[p.parent].get(p.child, [])
            if p in opened:
                opened.remove(p)
        for p in self.by_end.pop(d["event_id"], []):
            if p in self.packing:
                self.was_in.append(replace(p, retracted=at))
                p.since = at
                self.open_in[p.parent].setdefault(p.child, []).append(p)
            p.end = p.end_event = p.end_known = None

    def _known(self, time: datetime) -> str:
        """When what an event made is known for as-of questions: once it had happened and been
        recorded (this load), the later of the two (ingest/pack, unpack, genealogy, lot_members)."""
        return _iso(max(time, self.recorded_at))

    # -- output ----------------------------------------------------------------------------

    def finish(self) -> dict[str, list[Path]]:
        """Write the remaining CSVs; returns {"nodes": [...], "relationships": [...]} as importer arguments."""
        for w in self.writers.values():
            w.close()
        out = self.out
        state = self._state_inputs()
        into = genealogy.links(self.steps, set(self.declared))
        cycle = genealogy.in_cycle(into, [(("Lot", lot), ("Object", item)) for lot, item in self.has_item])

        def marked(space: str, key: str, labels: str) -> str:
            return labels + ARRAY + "InCycle" if (space, key) in cycle else labels

        def write(name: str, header: list[str], rows, strings: bool = False) -> None:
            """`strings`: every row holds strings only."""
            w = CsvOut(out / f"{name}.csv", header)
            if strings:
                for row in rows:
                    w.writestrs(row)
            else:
                w.writerows(rows)
            w.close()

        write("objects", ["epc:ID(Object)", ":LABEL", "gtin", "serial", "scheme", "commissioned:datetime", "lot",
                          *MADE_COLUMNS, *STATE_COLUMNS],
              self._object_rows(cycle, state))
        write("lots", ["epc:ID(Lot)", ":LABEL", "gtin", "lot", "expiry", "manufactured:datetime", *MADE_COLUMNS],
              ([epc, marked("Lot", epc, "Lot"), lot.gtin, lot.lot, lot.expiry, _iso(lot.manufactured),
                *_made(lot.made)] for epc, lot in self.lots.items()))
        write("products", ["gtin:ID(Product)", ":LABEL"],
              ([g, marked("Product", g, "Product")] for g in sorted(self.products)))
        write("sites", ["epc:ID(Site)", ":LABEL"], ([s, "Site"] for s in sorted(self.sites)))
        write("parties", ["epc:ID(Party)", ":LABEL"], ([p, "Party"] for p in sorted(self.parties)))
        write("prefixes", ["prefix:ID(CompanyPrefix)", ":LABEL"], ([p, "CompanyPrefix"] for p in sorted(self.prefixes)))
        write("documents", ["digest:ID(Document)", ":LABEL", "source", "loaded_at:datetime", "events:long"],
              ([d, "Document", src, self.recorded, n] for d, (src, n) in self.documents.items()))
        write("OF_PRODUCT.item", [":START_ID(Object)", ":END_ID(Product)"],
              ([epc, o.gtin] for epc, o in self.objects.items() if o.kind == "item"), strings=True)
        write("OF_PRODUCT.lot", [":START_ID(Lot)", ":END_ID(Product)"], sorted(self.lot_products))
        write("HAS_ITEM", [":START_ID(Lot)", ":END_ID(Object)", "events:string[]", "known:datetime"],
              ([lot, item, _list(evs), self._known(min(self.seen[e].time for e in evs))]
               for (lot, item), evs in self.has_item.items()), strings=True)
        for name, packings in (("IN", self.packing), ("WAS_IN", self.was_in)):
            write(name, [":START_ID(Object)", ":END_ID(Object)", "start:datetime", "start_event", "known:datetime",
                         "end:datetime", "end_event", "end_known:datetime", "since:datetime", "retracted:datetime"],
                  ([p.child, p.parent, _iso(p.start), p.start_event, p.known, _iso(p.end), p.end_event, p.end_known,
                    p.since, p.retracted] for p in packings))
        links = defaultdict(list)  # one file per type and pair of ID spaces
        for kind, group in (("INTO", into), ("WAS_INTO", self.was_into)):
            for link in group:
                links[f"{kind}.{link.source[0]}-{link.target[0]}"].append(link)
        for name, group in sorted(links.items()):
            source, target = name.split(".")[1].split("-")
            write(name, [f":START_ID({source})", f":END_ID({target})", "transformation_id", "event_id",
                         "time:datetime", "known:datetime", "quantity:double", "uom", "retracted:datetime"],
                  ([k.source[1], k.target[1], k.transformation_id, k.event_id, k.time, self._known(_dt(k.time)),
                    k.quantity, k.uom, k.retracted] for k in group))
        nodes = ["events", "objects", "lots", "products", "sites", "parties", "prefixes", "documents"]
        rels = list(REL_FILES) + ["OF_PRODUCT.item", "OF_PRODUCT.lot", "HAS_ITEM", "IN", "WAS_IN", *sorted(links)]
        return {"nodes": [out / f"{n}.csv" for n in nodes],
                "relationships": [(r.split(".")[0], out / f"{r}.csv") for r in rels]}

    def _object_rows(self, cycle: set, state: tuple):
        """objects.csv's rows. An object's commissioning and making time are mostly one datetime, shared
        with the objects the same event made (next to it here): its text is made once for them."""
        last, text = None, None
        for epc, o in self.objects.items():
            labels = _OBJECT_LABELS[o.kind]
            if cycle and ("Object", epc) in cycle:
                labels += ARRAY + "InCycle"
            row = [epc, labels, o.gtin, o.serial, o.scheme, None, o.lot, None, None]
            for at, t in ((5, o.commissioned), (7, None if o.made is None else o.made[0])):
                if t is not None:
                    if t is not last:
                        last, text = t, t.isoformat()
                    row[at] = text
            if o.made is not None:
                row[8] = o.made[1]
            row += self._state(epc, o, state)
            yield row

    def _state_inputs(self) -> tuple:
        containers = {epc for epc, o in self.objects.items() if o.kind == "container"}
        # recalls/state.store: a state answers as of any moment after the record, its latest event
        # and the latest moment a declaration counts from
        floor = max([self.recorded_at] + [_dt(d.declared_at) for d in self.declared.values()])
        return bulk_state.packed_in(self.packing), containers, set(self.declared), {}, floor

    def _state(self, epc: str, o: Obj, inputs: tuple) -> list:
        """An item's stored state as STATE_COLUMNS (empty for other objects)."""
        if o.kind != "item":
            return [None] * len(STATE_COLUMNS)
        self.items_state += 1
        packed, containers, declared, windows, floor = inputs
        r = bulk_state.item_row(epc, o.lot, o.gtin, self.seen, self.touched, packed, containers, declared, windows)
        self.histories[epc] = r["events"]
        known = max(floor, self.seen[r["events"][-1]].time) if r["events"] else floor
        return [r["site"], r["status"], str(r["direct"]).lower(), ARRAY.join(map(str, r["ship_ms"])),
                _list(r["ship_to"]), _list(r["where"]), r["version"], r["key"], known.isoformat()]

    def sightings(self):
        """(item, its events as the item-history rules read them) for every item (after finish())."""
        for epc, ids in self.histories.items():
            roles: dict[str, set[str]] = {}
            for eid, role in self.touched.get(epc, ()):
                roles.setdefault(eid, set()).add(role)
            yield epc, [_sighting(eid, self.seen[eid], roles.get(eid, ())) for eid in ids]

    def declaration_rows(self) -> list[dict]:
        return [{"event_id": d.event_id, "declaration": d.declaration, "declaration_time": d.declaration_time,
                 "reason": d.reason, "corrective": d.corrective, "declared_at": d.declared_at}
                for d in self.declared.values()]


def _sighting(eid: str, e: bulk_state.Seen, roles) -> history.Sighting:
    return history.Sighting(eid, e.time, e.biz_step, e.disposition,
                            e.biz_location if e.biz_location is not None else e.read_point, e.type, e.action,
                            frozenset(roles))


_EVENT_LABELS = {"ObjectEvent", "AggregationEvent", "TransformationEvent", "AssociationEvent", "TransactionEvent"}
_OBJECT_LABELS = {"item": f"Object{ARRAY}Item", "container": f"Object{ARRAY}Container", "other": "Object"}
