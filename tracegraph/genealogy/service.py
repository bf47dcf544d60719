"""Genealogy trees and graph views, breadth first with explicit depth and size limits."""
from __future__ import annotations

import json

from core.errors import NotFound
from graph.db import Database, run
from graph.db import native as _native
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
from tracegraph.recalls.closure import Closure, Node

CHUNK = 2000




def walk(db: Database, epc: str, direction: Direction, depth: int, max_nodes: int):
    """(closure of node ids, edges as (input id, output id, row), truncated)."""
    def work(tx):
        root = run(tx, "genealogy/root", epc=epc)
        if not root:
            raise NotFound(f"{epc} is not known to tracegraph", field="id")
        closure = Closure({root[0]["id"]: Node(epc, False, None, None, None, 0)})
        edges, frontier, level, truncated = [], [root[0]["id"]], 0, False
        while frontier:
            if level == depth:
                truncated = bool(run(tx, f"genealogy/{direction}", ids=frontier[:CHUNK]))
                break
            level += 1
            nxt = []
            for i in range(0, len(frontier), CHUNK):
                for r in run(tx, f"genealogy/{direction}", ids=frontier[i:i + CHUNK]):
                    if r["dst"] not in closure.nodes and len(closure.nodes) >= max_nodes:
                        truncated = True
                        continue
                    pair = (r["src"], r["dst"]) if direction == "forward" else (r["dst"], r["src"])
                    edges.append((*pair, r))
                    closure.edges.append((r["src"], r["dst"]))
                    if r["dst"] not in closure.nodes:
                        closure.nodes[r["dst"]] = Node("", False, None, None, r["src"], level)
                        nxt.append(r["dst"])
            frontier = nxt
        ids = list(closure.nodes)
        info = {}
        for i in range(0, len(ids), CHUNK):
            info.update({r["id"]: r for r in run(tx, "genealogy/nodes", ids=ids[i:i + CHUNK])})
        for nid, node in closure.nodes.items():
            node.epc = info[nid]["epc"]
        return closure, edges, info, truncated
    return db.read_tx(work)


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
    closure, edges, info, truncated = walk(db, epc, direction, depth, max_nodes)
    nodes = [GenealogyNode(epc=n.epc, kind=info[nid]["kind"], depth=n.depth, product=info[nid]["product"],
                           made=_made(info[nid]), inspections=_checks(info[nid]["checks"]))
             for nid, n in sorted(closure.nodes.items(), key=lambda kv: (kv[1].depth, kv[1].epc))]
    out_edges = [GenealogyEdge(source=closure.nodes[a].epc, target=closure.nodes[b].epc, type=r["type"],
                               transformation_id=r["transformation_id"], time=_native(r["time"]),
                               quantity=r["quantity"]) for a, b, r in edges]
    out_edges.sort(key=lambda e: (e.source, e.target))
    return Genealogy(root=epc, direction=direction, depth=depth, nodes=nodes, edges=out_edges,
                     cycles=closure.cycles(), truncated=truncated)


def graph(db: Database, epc: str, direction: Direction, depth: int, max_nodes: int) -> GraphView:
    closure, edges, info, truncated = walk(db, epc, direction, depth, max_nodes)
    nodes = []
    for nid, n in closure.nodes.items():
        row = info[nid]
        made = row.get("made") or {}
        label = (row.get("product") or {}).get("name") or n.epc.rsplit(":", 1)[-1]
        nodes.append(GraphNode(id=n.epc, label=label, kind=row["kind"], time=_native(made.get("time"))))
    out_edges = [GraphEdge(source=closure.nodes[a].epc, target=closure.nodes[b].epc,
                           kind="made_into" if r["type"] == "INTO" else "lot_item", time=_native(r["time"]))
                 for a, b, r in edges]
    return GraphView(root=epc, nodes=sorted(nodes, key=lambda x: x.id), edges=out_edges, truncated=truncated)
