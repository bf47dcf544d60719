"""Genealogy trees and graph views, breadth first with explicit depth and size limits.

The tree is built as plain data in the JSON shape of `Genealogy` (`tree`): the API sends it
through orjson (`genealogy_json`), other callers get the model (`genealogy`): a model per
node of a 10,000-node tree cost more than the walk."""
from __future__ import annotations

import json

import orjson

from core.errors import NotFound
from graph.db import Database
from graph.db import native as _native
from tracegraph.genealogy.closure import from_links, levels
from tracegraph.genealogy.closure import iso_time as _time
from tracegraph.genealogy.models import Direction, Genealogy, GraphEdge, GraphNode, GraphView

JSON_OPTIONS = orjson.OPT_UTC_Z  # times as pydantic writes them (Z for UTC)


def walk(db: Database, epc: str, direction: Direction, depth: int, max_nodes: int):
    """(closure, node details by node id): the shared genealogy walk from one identifier, in
    one auto-commit read (genealogy/tree_*); a closure bigger than `max_nodes` is walked a
    level at a time up to the limit (closure.levels), each level with its nodes' details."""
    r = db.read_columns(f"genealogy/tree_{direction}", epc=epc, max_nodes=max_nodes, as_of=None)
    if r["root"] is None:
        raise NotFound(f"{epc} is not known to tracegraph", field="id")
    starts = [{"id": r["root"], "epc": epc, "item": False}]
    # every node's details, or the root's only when the closure is bigger
    info = _details(r, r["ids"] if r["detailed"] else [r["root"]])
    if r["detailed"]:
        return from_links(starts, r, depth, max_nodes), info
    closure = db.read_tx(lambda tx: levels(tx, starts, direction, depth, max_nodes,
                                           lambda found: info.update(_details(found, found["ids"]))))
    return closure, info


def _details(c: dict, ids: list[str]) -> dict[str, dict]:
    """Node id -> {kind, product, made, inspections} (`Genealogy` node fields) from
    genealogy/details' columns: per node, lined up with `ids`; the making events and
    inspections once each, the inspections with the positions of the nodes they saw ('' stands
    for none, times come as ISO text)."""
    products = {p["gtin"]: p for p in c["product_rows"]}
    sites = {s["epc"]: s for s in c["site_rows"]}
    made_by = {}  # event id -> `made`: one entry shared by the nodes one event made
    for event_id, time, kind, site_epc, point in zip(c["made_events"], c["made_times"], c["made_types"],
                                                     c["made_sites"], c["made_points"]):
        site = sites.get(site_epc) or {}
        made_by[event_id] = {"event_id": event_id, "time": _time(time), "type": kind, "site": site_epc or None,
                             "site_name": site.get("name") or None,
                             "line": point or None,  # genealogy/details sends a line equal to its site as ''
                             "party": site.get("party") or None,
                             "party_name": (site.get("party_name") or None) if site.get("party") else None}
    out = {nid: {"kind": kind, "product": products.get(gtin), "made": made_by.get(made_id) if made_id else None,
                 "inspections": []}
           for nid, kind, gtin, made_id in zip(ids, c["kinds"], c["products"], c["made_ids"])}
    # in (time, event id) order: each node's inspections in that order; one entry shared by its nodes
    for seen, event_id, time, step, disposition, site, raw in zip(
            c["check_of"], c["check_ids"], c["check_times"], c["check_steps"], c["check_dispositions"],
            c["check_sites"], c["check_raws"]):
        check = {"event_id": event_id, "time": _time(time), "biz_step": step or None,
                 "disposition": disposition or None, "site": site or None, "certifications": _certifications(raw)}
        for k in seen:
            out[ids[k]]["inspections"].append(check)
    return out


def _certifications(raw: str) -> list[dict]:
    """certificationInfo of an event's raw JSON ('' when it has none), each value as sent."""
    if not raw:
        return []
    certs = json.loads(raw).get("certificationInfo")
    certs = certs if isinstance(certs, list) else ([certs] if certs else [])
    return [x if isinstance(x, dict) else {"value": x} for x in certs]


def _pairs(closure, direction: Direction):
    """(input epc, output epc, link) of each link walked."""
    for link in closure.links:
        a, b = (link.src, link.dst) if direction == "forward" else (link.dst, link.src)
        yield closure.nodes[a].epc, closure.nodes[b].epc, link


def tree(db: Database, epc: str, direction: Direction, depth: int, max_nodes: int) -> dict:
    """The derivation tree as plain data, in the JSON shape (and key order) of `Genealogy`."""
    closure, info = walk(db, epc, direction, depth, max_nodes)
    nodes = [{"epc": n.epc, "kind": info[nid]["kind"], "depth": n.depth, "product": info[nid]["product"],
              "made": info[nid]["made"], "inspections": info[nid]["inspections"]}
             for nid, n in sorted(closure.nodes.items(), key=lambda kv: (kv[1].depth, kv[1].epc))]
    edges = [{"source": a, "target": b, "type": link.type, "transformation_id": link.transformation_id,
              "time": link.time, "quantity": link.quantity} for a, b, link in _pairs(closure, direction)]
    edges.sort(key=lambda e: (e["source"], e["target"]))
    return {"root": epc, "direction": direction, "depth": depth, "nodes": nodes, "edges": edges,
            "cycles": closure.cycles(), "truncated": closure.truncated}


def genealogy(db: Database, epc: str, direction: Direction, depth: int, max_nodes: int) -> Genealogy:
    return Genealogy.model_validate(tree(db, epc, direction, depth, max_nodes))


def genealogy_json(db: Database, epc: str, direction: Direction, depth: int, max_nodes: int) -> bytes:
    """`genealogy` as the JSON its model gives, serialized straight from the data."""
    return orjson.dumps(tree(db, epc, direction, depth, max_nodes), option=JSON_OPTIONS)


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
