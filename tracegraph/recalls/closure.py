"""The recall scope's forward closure: the shared genealogy walk
(tracegraph/genealogy/closure.py); without as-of or depth limit it is one statement that
also reads each item's stored state.
"""
from __future__ import annotations

from neo4j import ManagedTransaction

from tracegraph.genealogy.closure import Closure, Node, shortest_paths, walk

__all__ = ["Closure", "Node", "forward", "shortest_paths"]


def forward(tx: ManagedTransaction, starts: list[dict], max_depth: int | None, as_of) -> Closure:
    """`starts` are rows with id, epc, item, of_lot, gtin (from the start queries)."""
    return walk(tx, starts, "forward", max_depth, as_of)
