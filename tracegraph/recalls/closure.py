"""The forward closure, breadth first, one Cypher round trip per genealogy level.

Level by level (not one variable-length match) because it gives, in one pass, an
exact depth limit, the as-of filter on every link, a derivation path for every
node (BFS parents: a shortest path from a start) and the edges needed to find
cycles. Only nodes that lead further are expanded (a degree check in Cypher), so
the big last level of finished serials is never sent back.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from neo4j import ManagedTransaction

from graph.db import columns
from tracegraph.recalls import state

CHUNK = 5000  # frontier nodes per round trip
MAX_DEPTH = 32


@dataclass
class Node:
    epc: str
    item: bool
    of_lot: str | None
    gtin: str | None
    parent: str | None  # node id it was reached from (None for a start)
    depth: int
    state: dict | None = None  # an item's stored current state (recalls.state), when read with it


@dataclass
class Closure:
    nodes: dict[str, Node] = field(default_factory=dict)  # node id -> node
    edges: list[tuple[str, str]] = field(default_factory=list)  # between nodes of the closure
    starts: list[str] = field(default_factory=list)  # start node ids
    fast: bool = False  # one-statement closure: no BFS parents, paths are looked up per page

    def serials(self) -> list[str]:
        return sorted(n.epc for n in self.nodes.values() if n.item)

    def lots(self) -> set[str]:
        found = {n.epc for n in self.nodes.values() if ":lgtin:" in n.epc}
        return found | {n.of_lot for n in self.nodes.values() if n.item and n.of_lot}

    def path(self, node_id: str) -> list[str]:
        out = []
        while node_id is not None:
            node = self.nodes[node_id]
            out.append(node.epc)
            node_id = node.parent
        return out[::-1]

    def cycles(self) -> list[list[str]]:
        """Each cycle among the closure's links once, as epcs (iterative DFS, no recursion)."""
        succ: dict[str, list[str]] = {}
        for a, b in self.edges:
            succ.setdefault(a, []).append(b)
        state: dict[str, int] = {}  # 1 on the stack, 2 done
        found: list[list[str]] = []
        for root in succ:
            if state.get(root):
                continue
            stack, trail = [(root, iter(succ.get(root, ())))], [root]
            state[root] = 1
            while stack:
                node, it = stack[-1]
                nxt = next(it, None)
                if nxt is None:
                    stack.pop()
                    trail.pop()
                    state[node] = 2
                elif state.get(nxt) == 1:
                    found.append([self.nodes[n].epc for n in trail[trail.index(nxt):]])
                elif not state.get(nxt):
                    state[nxt] = 1
                    stack.append((nxt, iter(succ.get(nxt, ()))))
                    trail.append(nxt)
        return found


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
    closure = Closure(starts=list(dict.fromkeys(s["id"] for s in starts)))
    for s in starts:
        closure.nodes.setdefault(s["id"], Node(s["epc"], s["item"], s.get("of_lot"), s.get("gtin"), None, 0))
    limit = MAX_DEPTH if max_depth is None else max_depth
    frontier = list(closure.nodes)
    depth = 0
    while frontier and depth < limit:
        depth += 1
        nxt: list[str] = []
        for i in range(0, len(frontier), CHUNK):
            links = columns(tx, "recall/expand", ids=frontier[i:i + CHUNK], as_of=as_of)["links"]
            for src, dst, epc, item, of_lot, gtin, more in links:
                closure.edges.append((src, dst))
                if dst in closure.nodes:
                    continue
                closure.nodes[dst] = Node(epc, item, of_lot, gtin, src, depth)
                if more:
                    nxt.append(dst)
        frontier = nxt
    return closure
