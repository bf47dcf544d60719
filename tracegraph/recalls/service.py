"""Recall scope: starting points → forward closure → where each serial is → who got it.

As-of: with `as_of`, only events that had both happened (`time`) and been recorded
(`recorded`) by then count, for genealogy links, locations, statuses and shipments.
A late record of an early event is thus invisible to an earlier as-of, as it was to
the people asking then. Packing intervals are taken by event time only.
"""
from __future__ import annotations

import json
import os
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from neo4j import ManagedTransaction

from core.errors import InvalidIdentifier, NotFound
from core.identifiers import gs1_check_digit
from graph.db import Database, run
from graph.db import native as _native
from tracegraph.audit import service as audit
from tracegraph.identity import canonical_epc
from tracegraph.recalls import closure as closure_mod
from tracegraph.recalls import state
from tracegraph.recalls.enums import Bucket, StartKind
from tracegraph.recalls.models import (
    Aggregations,
    Consignee,
    ScopeRequest,
    ScopeResult,
    ScopeSerial,
    StartPoint,
    Summary,
)

CHUNK = 2000
USED = {"decommissioned", "dispensed", "inactive", "destroyed", "disposed"}
SAVE_BATCH = 5000
# an as-of scope's item states: chunks read at once (each its own read, computed on a core of Neo4j's)
READERS = min(4, os.cpu_count() or 1)




def bucket(disposition: str, site_type: str | None) -> Bucket:
    if disposition in USED:
        return Bucket.used_decommissioned
    if disposition == "returned":
        return Bucket.returned
    if disposition == "in_transit":
        return Bucket.in_transit
    if site_type == "hospital":
        return Bucket.at_hospital
    if site_type == "distributor":
        return Bucket.at_distributor
    return Bucket.in_stock


def _gtin(value: str, field: str) -> str:
    if value.isdigit() and len(value) in (8, 12, 13, 14):
        if value[-1] != gs1_check_digit(value[:-1]):
            raise InvalidIdentifier(f"{value}: the check digit should be {gs1_check_digit(value[:-1])}, "
                                    f"not {value[-1]}", field=field)
        return value.zfill(14)
    if value.startswith("urn:epc:idpat:sgtin:"):
        from loaders.epcis.normalize import idpat_gtin
        return idpat_gtin(value)
    raise InvalidIdentifier("a product start is a GTIN (8, 12, 13 or 14 digits)", field=field)


def resolve_starts(db: Database, tx: ManagedTransaction, starts: list[StartPoint], as_of) -> list[dict]:
    """Rows (id, epc, item, of_lot, gtin) of every start node; unknown identifiers are 404s."""
    out: list[dict] = []
    for n, start in enumerate(starts):
        field = f"starts[{n}].id"
        window = {"from": start.from_, "to": start.to, "as_of": as_of}
        if start.kind == StartKind.product:
            gtin = _gtin(start.id, field)
            if not run(tx, "recall/product_known", gtin=gtin)[0]["known"]:
                raise NotFound(f"GTIN {gtin} is not a known product (no master data, lots or serials)", field=field)
            out += run(tx, "recall/starts_product", gtin=gtin, **window)
            continue
        epc = canonical_epc(db, start.id, field)
        if start.kind == StartKind.party:
            out += run(tx, "recall/starts_party", epc=epc, **window)
        elif start.kind == StartKind.site:
            out += run(tx, "recall/starts_site", epc=epc, **window)
        else:
            rows = run(tx, "recall/start_nodes", epcs=[epc])
            expected = {"lot": "lot", "serial": "item", "container": "container"}[start.kind.value]
            if not rows or rows[0]["kind"] != expected:
                raise NotFound(f"{epc} is not a known {start.kind.value}", field=field)
            if start.kind == StartKind.container:
                out += run(tx, "recall/contents", epc=epc, as_of=as_of)
            else:
                out += rows
    return out


@dataclass
class Scope:
    """The whole answer in memory as small per-serial records; pages and exports read it."""
    request: ScopeRequest
    closure: closure_mod.Closure
    serials: list[str]  # kept after the include/exclude options, sorted
    seen: dict[str, dict]  # serial -> observations row (site, status, shipments)
    sites: dict[str, dict]  # site epc -> master data
    products: dict[str, dict]  # gtin -> product
    node_of: dict[str, str]  # serial epc -> closure node id
    scope_id: str | None = None

    def site_info(self, epc: str | None) -> dict:
        return _site_info(self.sites, epc)

    def bucket_of(self, epc: str) -> Bucket:
        row = self.seen[epc]
        return bucket(row["status"], self.site_info(row["site"]).get("site_type"))


def _site_master(db: Database, epcs: set[str]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    ordered = sorted(epcs)
    for i in range(0, len(ordered), CHUNK):
        for r in db.lookup("recall/sites", epcs=ordered[i:i + CHUNK]):
            out[r["site"]["epc"]] = r["site"]
    return out


def where(db: Database, epcs: list[str], as_of) -> dict[str, dict]:
    """Per serial: current `site`, `status`, `direct` (known by name) and `shipments`:
    stored by the writer for now, computed from the events for an as-of (`compute` passes only
    the serials whose stored state its closure did not find settled then)."""
    runner = db.read_columns
    return state.compute(runner, epcs, as_of, READERS, settled=False) if as_of is not None \
        else state.stored(runner, epcs)


def compute(db: Database, request: ScopeRequest) -> Scope:
    as_of = request.as_of

    def work(tx: ManagedTransaction):
        starts = resolve_starts(db, tx, request.starts, as_of)
        return closure_mod.forward(tx, starts, request.max_depth, as_of)

    closure = db.read_tx(work)
    node_of = {n.epc: nid for nid, n in closure.nodes.items() if n.item}
    all_serials = sorted(node_of)
    # the states the closure read (now; as of a moment, those settled then), the rest from the events
    seen = {n.epc: n.state for n in closure.nodes.values() if n.item and n.state}
    seen.update(where(db, [epc for epc in all_serials if epc not in seen], as_of))
    places = {r["site"] for r in seen.values() if r["site"]}
    places |= {d for r in seen.values() for s in r["shipments"] for d in s["destinations"]}
    sites = _site_master(db, places)
    gtins = sorted({n.gtin for n in closure.nodes.values() if n.item and n.gtin})
    products = {r["gtin"]: r for r in db.lookup("recall/products", gtins=gtins)}
    scope = Scope(request, closure, [], seen, sites, products, node_of)
    keep = []
    for epc in all_serials:
        if as_of is not None and not seen[epc]["direct"]:
            continue  # no event had named it yet: not known as of then
        b = scope.bucket_of(epc)
        if (b == Bucket.used_decommissioned and not request.include_decommissioned) or \
                (b == Bucket.returned and not request.include_returned):
            continue
        keep.append(epc)
    scope.serials = keep
    return scope


def _site_info(sites: dict[str, dict], epc: str | None) -> dict:
    return sites.get(epc, {}) if epc else {}


def _own(site: dict) -> bool:
    return (site.get("party") or {}).get("role") == "manufacturer"


@dataclass
class Tally:
    """What the summary, aggregations and consignees count: the kept serials grouped by
    (site, status, lot, gtin), the lot nodes of the closure, and per destination site the
    serials shipped there and the last shipment (epoch ms). Neo4j counts it for current
    scopes (`overview`); as-of scopes and exports count it from a `Scope`."""
    serials: int
    groups: Counter  # (site | None, status, lot | None, gtin | None) -> serials
    lot_nodes: set[str]
    shipped: dict[str, tuple[int, int]]
    sites: dict[str, dict]  # master data of every site in groups and shipped
    products: dict[str, dict]  # gtin -> product

    def site_info(self, epc: str | None) -> dict:
        return _site_info(self.sites, epc)


def _count_shipped(shipped: dict[str, tuple[int, int]], trips, n: int) -> None:
    """Add n serials that made these (ms, destinations) trips: once per destination, at its latest."""
    last: dict[str, int] = {}
    for ms, dests in trips:
        for dest in dests:
            last[dest] = max(last.get(dest, ms), ms)
    for dest, ms in last.items():
        had, before = shipped.get(dest, (0, ms))
        shipped[dest] = (had + n, max(before, ms))


def tally(scope: Scope) -> Tally:
    groups: Counter = Counter()
    trips: Counter = Counter()  # serials by their shipments list: stored states share theirs (state.reader)
    made: dict[int, list] = {}
    for epc in scope.serials:
        row, node = scope.seen[epc], scope.closure.nodes[scope.node_of[epc]]
        groups[(row["site"], row["status"], node.of_lot, node.gtin)] += 1
        if row["shipments"]:
            trips[id(row["shipments"])] += 1
            made[id(row["shipments"])] = row["shipments"]
    shipped: dict[str, tuple[int, int]] = {}
    for trip, n in trips.items():
        _count_shipped(shipped, ((x["ms"], x["destinations"]) for x in made[trip]), n)
    lot_nodes = {n.epc for n in scope.closure.nodes.values() if ":lgtin:" in n.epc}
    return Tally(len(scope.serials), groups, lot_nodes, shipped, scope.sites, scope.products)


def consignees(t: Tally) -> list[Consignee]:
    """Every non-own site an affected serial was shipped to (directly or in a container)."""
    out = []
    for dest in sorted(t.shipped):
        site = t.site_info(dest)
        if _own(site):
            continue
        quantity, last_ms = t.shipped[dest]
        party = site.get("party") or {}
        address = ", ".join(x for x in (site.get("street"), site.get("postal_code"), site.get("city")) if x)
        out.append(Consignee(site=dest, site_name=site.get("name"), party=party.get("epc"),
                             party_name=party.get("name"), address=address or None,
                             country_code=site.get("country_code"), contact=party.get("contact"),
                             region=site.get("region") or party.get("region"), channel=party.get("channel"),
                             quantity=quantity, last_shipment=datetime.fromtimestamp(last_ms / 1000, UTC)))
    return out


def summary(t: Tally, consignee_count: int) -> Summary:
    by_status: Counter = Counter()
    for (site, status, _, _), n in t.groups.items():
        by_status[bucket(status, t.site_info(site).get("site_type"))] += n
    places = {site for site, _, _, _ in t.groups if site}
    lots = {lot for _, _, lot, _ in t.groups if lot} | t.lot_nodes
    return Summary(serials=t.serials, lots=len(lots), consignees=consignee_count, sites=len(places),
                   by_status={b: by_status.get(b, 0) for b in Bucket})


def aggregations(t: Tally) -> Aggregations:
    region, channel, line, customer = Counter(), Counter(), Counter(), Counter()
    for (place, _, _, gtin), n in t.groups.items():
        site = t.site_info(place)
        party = site.get("party") or {}
        region[site.get("region") or party.get("region") or "unknown"] += n
        channel[party.get("channel") or "unknown"] += n
        line[(t.products.get(gtin) or {}).get("product_line") or "unknown"] += n
        if party and not _own(site):
            customer[party.get("name") or party.get("epc")] += n
    return Aggregations(by_region=dict(region), by_channel=dict(channel), by_product_line=dict(line),
                        by_customer=dict(customer))


def serial_rows(db: Database, scope: Scope, epcs: list[str],
                read: tuple[dict, dict] | None = None) -> list[ScopeSerial]:
    """Detail rows for some serials of the scope (a page, or a chunk of an export);
    `read`: their details and paths by epc, when already read (recall/fast_scope)."""
    if read is not None:
        details, paths = read
    else:
        details = {r["epc"]: r for r in db.lookup("recall/details", epcs=epcs, as_of=scope.request.as_of)}
        if scope.closure.fast:
            paths = {r["epc"]: r["path"] for r in db.lookup("recall/paths", epcs=epcs, starts=scope.closure.starts,
                                                            as_of=scope.request.as_of)}
        else:
            paths = {epc: scope.closure.path(scope.node_of[epc]) for epc in epcs}
    rows = []
    for epc in epcs:
        d, seen = details.get(epc, {}), scope.seen[epc]
        site = scope.site_info(seen["site"])
        party = site.get("party") or {}
        rows.append(ScopeSerial(
            epc=epc, gtin=d.get("gtin"), product=d.get("product"), product_line=d.get("product_line"),
            lot=d.get("lot"), path=paths.get(epc) or [epc], status=scope.bucket_of(epc),
            disposition=seen["status"], site=seen["site"], site_name=site.get("name"),
            custodian=party.get("epc"), custodian_name=party.get("name"), container=d.get("container")))
    return rows


def save(db: Database, scope: Scope, actor: str = "system", request_id: str | None = None) -> str:
    scope_id = str(uuid.uuid4())
    query = scope.request.model_dump_json(by_alias=True, exclude={"save", "page", "page_size"})

    def work(tx: ManagedTransaction) -> None:
        run(tx, "recall/save", id=scope_id, query=query, as_of=scope.request.as_of, count=len(scope.serials))
        for i in range(0, len(scope.serials), SAVE_BATCH):
            run(tx, "recall/save_serials", id=scope_id, rows=scope.serials[i:i + SAVE_BATCH])
        audit.record(tx, actor=actor, action="recall.scope.save", subject=scope_id,
                     after={"query": json.loads(query), "serials": len(scope.serials)}, request_id=request_id)

    db.write_tx(work)
    return scope_id


def saved_scope_serials(tx: ManagedTransaction, scope_id: str) -> list[str]:
    """The serials of a saved recall scope, sorted (for holds and notices)."""
    rows = run(tx, "recall/saved_serials", id=scope_id)
    if not rows:
        raise NotFound(f"no saved recall scope {scope_id}", field="scope_id")
    return rows[0]["serials"]


def saved_scope(db: Database, scope_id: str) -> dict:
    rows = db.read("recall/saved", id=scope_id)
    if not rows:
        raise NotFound(f"no saved recall scope {scope_id}", field="id")
    row = rows[0]
    return {"id": row["id"], "created": _native(row["created"]), "as_of": _native(row["as_of"]),
            "query": json.loads(row["query"]), "serials": db.read_tx(lambda tx: saved_scope_serials(tx, scope_id))}


def _tally_groups(groups: list, excluded: set[str]) -> tuple[Counter, dict, set[str]] | None:
    """Counts from `recall/fast_scope`'s groups of [state_key, other node epc, cyclic, n];
    None when an item has no key or the closure has a cycle."""
    counts: Counter = Counter()
    by_trips: Counter = Counter()  # items packed and shipped together share their trips: parse each once
    others: set[str] = set()
    for key, other, cyclic, n in groups:
        if cyclic or key == "":
            return None
        if key is None:
            others.add(other)
            continue
        site, status, lot, gtin, trips = state.unkey(key)
        if status in excluded:
            continue
        counts[(site, status, lot, gtin)] += n
        if trips:
            by_trips[trips] += n
    shipped: dict[str, tuple[int, int]] = {}
    for trips, n in by_trips.items():
        _count_shipped(shipped, state.shipments(trips), n)
    return counts, shipped, {epc for epc in others if ":lgtin:" in epc}


# closure nodes per page serial up to which the page's paths come from one walk over the closure's
# links (recall/fast_answer), not a search per serial: the links of 1,189 nodes cost about 4 ms, 100
# searches 8-11 ms
PATHS_BY_LINKS = 20
QUICK_STARTS = {StartKind.lot: "lots", StartKind.serial: "serials"}  # resolved inside recall/fast_scope


def _fast_scope(db: Database, request: ScopeRequest, **params) -> dict:
    """recall/fast_scope's record (recall/fast_scope_as_of's with an as-of). Lot and serial starts
    are looked up in the statement itself, and raise as `resolve_starts` would (the first bad
    start, in order); other kinds are resolved first (one transaction more)."""
    name = "recall/fast_scope" if request.as_of is None else "recall/fast_scope_as_of"
    if not all(start.kind in QUICK_STARTS for start in request.starts):
        starts = db.read_tx(lambda tx: resolve_starts(db, tx, request.starts, request.as_of))
        ids = list(dict.fromkeys(s["id"] for s in starts))
        return db.read_columns(name, lots=[], serials=[], ids=ids, **params)
    epcs: list[str | Exception] = []
    for n, start in enumerate(request.starts):
        try:
            epcs.append(canonical_epc(db, start.id, f"starts[{n}].id"))
        except InvalidIdentifier as exc:  # raised below, after any earlier start that is not known
            epcs.append(exc)
    asked = {kind: [e for e, s in zip(epcs, request.starts) if s.kind == kind and isinstance(e, str)]
             for kind in QUICK_STARTS}
    r = db.read_columns(name, ids=[], **{QUICK_STARTS[k]: v for k, v in asked.items()}, **params)
    for n, (epc, start) in enumerate(zip(epcs, request.starts)):
        if isinstance(epc, Exception):
            raise epc
        if epc not in r[QUICK_STARTS[start.kind]]:
            raise NotFound(f"{epc} is not a known {start.kind.value}", field=f"starts[{n}].id")
    return r


def overview(db: Database, request: ScopeRequest) -> ScopeResult | None:
    """The answer counted inside Neo4j in one statement (`recall/fast_scope`, or
    `recall/fast_scope_as_of`) for a scope without a depth limit; None when some item in it has
    no stored state yet (as of a moment: none that was its state then), or the data has a
    genealogy cycle there (then `compute` works it out from the events and reports the cycle)."""
    excluded = ([] if request.include_decommissioned else sorted(USED)) + \
        ([] if request.include_returned else ["returned"])
    r = _fast_scope(db, request, excluded=excluded, skip=(request.page - 1) * request.page_size,
                    limit=request.page_size, as_of=request.as_of, bfs_nodes=PATHS_BY_LINKS * request.page_size)
    counted = _tally_groups(r["groups"], set(excluded))
    if counted is None:
        return None
    groups, shipped, lot_nodes = counted
    sites = {site["epc"]: site for site in r["sites"]}
    products = {p["gtin"]: p for p in r["products"]}
    t = Tally(sum(groups.values()), groups, lot_nodes, shipped, sites, products)
    page = [epc for epc, _, _ in r["page"]]
    seen = {epc: {"site": site or None, "status": status} for epc, site, status in r["page"]}
    details = {epc: {"gtin": gtin, "product": product, "product_line": line, "lot": lot, "container": container}
               for epc, gtin, product, line, lot, container, _ in r["details"]}
    if r["node_ids"]:  # a small closure: the page's paths from one walk over its links
        id_of = dict(zip(r["node_epcs"], r["node_ids"]))
        epc_of = dict(zip(r["node_ids"], r["node_epcs"]))
        found = closure_mod.shortest_paths(r["start_ids"], r["link_srcs"], r["link_dsts"], {id_of[e] for e in page})
        paths = {epc: [epc_of[n] for n in found[id_of[epc]]] if id_of[epc] in found else None for epc in page}
    else:  # searched per serial in the statement
        paths = {epc: path for epc, *_, path in r["details"]}
    s = Scope(request, closure_mod.Closure(starts=[], fast=True), page, seen, sites, products, {})
    return _answer(db, s, t, page, cycles=[], read=(details, paths))


def _answer(db: Database, s: Scope, t: Tally, page: list[str], cycles: list[list[str]],
            read: tuple[dict, dict] | None = None) -> ScopeResult:
    people = consignees(t)
    return ScopeResult(scope_id=s.scope_id, as_of=s.request.as_of, summary=summary(t, len(people)),
                       aggregations=aggregations(t), cycles=cycles, page=s.request.page,
                       page_size=s.request.page_size, serials=serial_rows(db, s, page, read) if page else [],
                       consignees=people)


def scope(db: Database, request: ScopeRequest, actor: str = "system", request_id: str | None = None) -> ScopeResult:
    if request.max_depth is None and not request.save:
        answer = overview(db, request)
        if answer is not None:
            return answer
    s = compute(db, request)
    if request.save:
        s.scope_id = save(db, s, actor, request_id)
    first = (request.page - 1) * request.page_size
    return _answer(db, s, tally(s), s.serials[first:first + request.page_size], cycles=s.closure.cycles())
