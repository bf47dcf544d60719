"""Genealogy trees and graph views, breadth first with explicit depth and size limits."""
from __future__ import annotations

import json

from core.errors import NotFound
from graph.db import Database, columns, run
from graph.db import native as _native
from tracegraph.genealogy.closure import iso_time as _time
from tracegraph.genealogy.closure import walk as walk_closure
from tracegraph.genealogy.models import (
    Check,
    Direction,
    Genealogy,
    GenealogyEdge,
    GenealogyNode,
    GraphEdge,
    GraphNode,
    GraphView,
    Made,
)

CHUNK = 10_000


def walk(db: Database, epc: str, direction: Direction, depth: int, max_nodes: int):
    """(closure, node details by node id): the shared genealogy walk from one identifier."""
    def work(tx):
        root = run(tx, "genealogy/root", epc=epc)
        if not root:
            raise NotFound(f"{epc} is not known to tracegraph", field="id")
        start = {"id": root[0]["id"], "epc": epc, "item": False}
        closure = walk_closure(tx, [start], direction, depth, max_nodes=max_nodes)
        ids, info = list(closure.nodes), {}
        for i in range(0, len(ids), CHUNK):
            info.update(_details(columns(tx, "genealogy/nodes", ids=ids[i:i + CHUNK])))
        return closure, info
    return db.read_tx(work)


def _details(c: dict) -> dict[str, dict]:
    """Node id -> {kind, product, made, site_name, party, checks} from genealogy/nodes' columns
    ('' stands for none, times come as ISO text)."""
    products = {p["gtin"]: p for p in c["product_rows"]}
    out = {}
    for nid, kind, gtin, made_id, made_time, made_type, made_site, made_point, site, party, party_name in zip(
            c["ids"], c["kinds"], c["products"], c["made_ids"], c["made_times"], c["made_types"], c["made_sites"],
            c["made_points"], c["site_names"], c["party_epcs"], c["party_names"]):
        made = {"event_id": made_id, "time": _time(made_time), "type": made_type, "biz_location": made_site or None,
                "read_point": made_point or None} if made_id else None
        out[nid] = {"kind": kind, "product": products.get(gtin), "made": made, "site_name": site or None,
                    "party": {"epc": party or None, "name": party_name or None} if party else None, "checks": []}
    for nid, event_id, time, step, disposition, site, raw in zip(
            c["check_of"], c["check_ids"], c["check_times"], c["check_steps"], c["check_dispositions"],
            c["check_sites"], c["check_raws"]):
        out[nid]["checks"].append({"event_id": event_id, "time": _time(time), "biz_step": step or None,
                                   "disposition": disposition or None, "biz_location": site or None,
                                   "raw": raw or None})
    return out


def _pairs(closure, direction: Direction):
    """(input epc, output epc, link) of each link walked."""
    for link in closure.links:
        a, b = (link.src, link.dst) if direction == "forward" else (link.dst, link.src)
        yield closure.nodes[a].epc, closure.nodes[b].epc, link


def _checks(rows: list[dict]) -> list[Check]:
    out = []
    for c in rows:
        raw = json.loads(c.get("raw") or "{}")
        certs = raw.get("certificationInfo")
        certs = certs if isinstance(certs, list) else ([certs] if certs else [])
        out.append(Check(event_id=c["event_id"], time=_native(c["time"]), biz_step=c.get("biz_step"),
                         disposition=c.get("disposition"), site=c.get("biz_location"),
                         certifications=[x if isinstance(x, dict) else {"value": x} for x in certs]))
    return out


def _made(row: dict) -> Made | None:
    m = row.get("made")
    if not m:
        return None
    party = row.get("party") or {}
    line = m.get("read_point") if m.get("read_point") != m.get("biz_location") else None
    return Made(event_id=m["event_id"], time=_native(m["time"]), type=m["type"], site=m.get("biz_location"),
                site_name=row.get("site_name"), line=line, party=party.get("epc"), party_name=party.get("name"))


def genealogy(db: Database, epc: str, direction: Direction, depth: int, max_nodes: int) -> Genealogy:
    closure, info = walk(db, epc, direction, depth, max_nodes)
    nodes = [GenealogyNode(epc=n.epc, kind=info[nid]["kind"], depth=n.depth, product=info[nid]["product"],
                           made=_made(info[nid]), inspections=_checks(info[nid]["checks"]))
             for nid, n in sorted(closure.nodes.items(), key=lambda kv: (kv[1].depth, kv[1].epc))]
    out_edges = [GenealogyEdge(source=a, target=b, type=link.type, transformation_id=link.transformation_id,
                               time=_native(link.time), quantity=link.quantity)
                 for a, b, link in _pairs(closure, direction)]
    out_edges.sort(key=lambda e: (e.source, e.target))
    return Genealogy(root=epc, direction=direction, depth=depth, nodes=nodes, edges=out_edges,
                     cycles=closure.cycles(), truncated=closure.truncated)


def graph(db: Database, epc: str, direction: Direction, depth: int, max_nodes: int) -> GraphView:
    closure, info = walk(db, epc, direction, depth, max_nodes)
    nodes = []
    for nid, n in closure.nodes.items():
        row = info[nid]
        made = row.get("made") or {}
        label = (row.get("product") or {}).get("name") or n.epc.rsplit(":", 1)[-1]
        nodes.append(GraphNode(id=n.epc, label=label, kind=row["kind"], time=_native(made.get("time"))))
    out_edges = [GraphEdge(source=a, target=b, kind="made_into" if link.type == "INTO" else "lot_item",
                           time=_native(link.time)) for a, b, link in _pairs(closure, direction)]
    return GraphView(root=epc, nodes=sorted(nodes, key=lambda x: x.id), edges=out_edges,
                     truncated=closure.truncated)
