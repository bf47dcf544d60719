"""The recall scope's forward closure: the shared genealogy walk
(tracegraph/genealogy/closure.py) when the question has an as-of or a depth limit, and
otherwise one statement (`recall/reach`) that also reads each item's stored state.
"""
from __future__ import annotations

from neo4j import ManagedTransaction

from graph.db import columns
from tracegraph.genealogy.closure import Closure, Node, walk
from tracegraph.recalls import state

CHUNK = 5000  # start nodes per round trip

__all__ = ["Closure", "Node", "forward", "reach"]


def reach(tx: ManagedTransaction, starts: list[dict]) -> Closure:
    """The closure in one statement (no as-of, no depth limit): several times faster
    than level by level; the links kept are those the cycle check needs."""
    closure = Closure(starts=list(dict.fromkeys(s["id"] for s in starts)), fast=True)
    for i in range(0, len(closure.starts), CHUNK):
        r = columns(tx, "recall/reach", ids=closure.starts[i:i + CHUNK])
        for nid, epc, item, of_lot, gtin, nxt, status, site, direct, ms, to in zip(
                r["ids"], r["epcs"], r["items"], r["lots"], r["gtins"], r["nexts"], r["statuses"], r["sites"],
                r["directs"], r["ship_ms"], r["ship_to"]):
            held = state.from_columns(site, status, direct, ms, to) if item and status else None
            closure.nodes[nid] = Node(epc, item, of_lot or None, gtin or None, None, 0, held)
            closure.edges += [(nid, x) for x in nxt]
    closure.edges = [(a, b) for a, b in closure.edges if b in closure.nodes]
    return closure


def forward(tx: ManagedTransaction, starts: list[dict], max_depth: int | None, as_of) -> Closure:
    """`starts` are rows with id, epc, item, of_lot, gtin (from the start queries)."""
    if max_depth is None and as_of is None:
        return reach(tx, starts)
    return walk(tx, starts, "forward", max_depth, as_of)
