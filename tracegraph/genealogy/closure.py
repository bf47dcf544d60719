"""The genealogy closure: the one walk trace, genealogy and recall scope share.

With a depth or size limit, or an as-of date, it goes breadth first, which gives an exact
depth limit, a derivation path for every node (BFS parents: a shortest path from a start), each
link with its transformation (genealogy shows them), and the links that find cycles. The links
come in one statement (`genealogy/links_forward`, `links_backward`, or the genealogy's `tree_*`
with them) and the BFS runs here over them (`bfs`, `from_links`); with an as-of date only the
links known then come (genealogy/known_as_of), of the closure's nodes as of now, which hold
every node reached as of then. Without any limit it is one statement (`genealogy/reach_forward`,
`reach_backward`): a pruning var-length expand, several times faster for big closures, which
also reads each item's stored state.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Literal

from neo4j import ManagedTransaction

from graph.db import columns
from graph.queries import GENEALOGY_MAX_DEPTH
from tracegraph.recalls import state

CHUNK = 5000  # start nodes per round trip (reach)
Direction = Literal["forward", "backward"]


@dataclass
class Node:
    epc: str
    item: bool
    of_lot: str | None
    gtin: str | None
    parent: str | None  # node id it was reached from (None for a start)
    depth: int
    # an item's stored current state (recalls.state), when read with it; as of a moment, only
    # where it is also the state then (`bfs`)
    state: dict | None = None
    lot: bool = False  # a Lot node (a class, not an instance)


@dataclass
class Link:
    """One genealogy link as walked: from `src` (the node expanded) to `dst`."""
    src: str
    dst: str
    type: str  # INTO or HAS_ITEM
    transformation_id: str | None
    time: object
    quantity: float | None


@dataclass
class Closure:
    nodes: dict[str, Node] = field(default_factory=dict)  # node id -> node
    edges: list[tuple[str, str]] = field(default_factory=list)  # between nodes of the closure, as walked
    starts: list[str] = field(default_factory=list)  # start node ids
    fast: bool = False  # one-statement closure: no BFS parents, paths are looked up per page
    links: list[Link] = field(default_factory=list)  # the edges with their details (walk only)
    truncated: bool = False  # the depth or size limit left nodes out

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
        if not self.fast and all(self.nodes[b].depth > self.nodes[a].depth for a, b in self.edges):
            # walked breadth first: around a cycle the depths cannot rise at every link, so with
            # none that keeps level or goes back there is none (a DAG's shared parts go deeper too)
            return []
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


def walk(tx: ManagedTransaction, starts: list[dict], direction: Direction = "forward", depth: int | None = None,
         as_of=None, max_nodes: int | None = None, full: bool = True) -> Closure:
    """The closure from `starts` (rows with id, epc, item, of_lot, gtin: the start queries
    give them): `depth` links at most (default: all, up to GENEALOGY_MAX_DEPTH), links made
    by `as_of`, at most `max_nodes` nodes (`truncated` says when a limit cut it short).
    `full` False: the nodes only, without the items' stored state and the cycle links."""
    if depth is None and as_of is None and max_nodes is None:
        return reach(tx, starts, direction, full)
    return bfs(tx, starts, direction, depth, max_nodes, as_of)


def bfs(tx: ManagedTransaction, starts: list[dict], direction: Direction = "forward", depth: int | None = None,
        max_nodes: int | None = None, as_of=None) -> Closure:
    """Every link of the closure (known at `as_of`, when given) in one statement, then a
    level-by-level BFS over them here (depths, parents, edges and cuts; the links' details are
    the genealogy's, which calls `from_links` itself)."""
    r = columns(tx, f"genealogy/links_{direction}", ids=list(dict.fromkeys(s["id"] for s in starts)), as_of=as_of)
    closure = from_links(starts, r, depth, max_nodes, details=False)
    if r.get("state"):  # as of a moment: the items whose stored state is also their state then
        found, _ = state.split(r["state"], "settled")
        for node in closure.nodes.values():
            node.state = found.get(node.epc) if node.item else None
    return closure


def from_links(starts: list[dict], r: dict, depth: int | None = None, max_nodes: int | None = None,
               details: bool = True) -> Closure:
    """`bfs` over a closure's nodes and links as the genealogy/links_columns_* fragment gives
    them (genealogy/links_*, genealogy/tree_*). `details` False: no `links` (a 100k as-of recall
    scope spent a tenth of its Python time on Link objects it never reads)."""
    closure = Closure(starts=list(dict.fromkeys(s["id"] for s in starts)))
    for s in starts:
        closure.nodes.setdefault(s["id"], Node(s["epc"], s["item"], s.get("of_lot"), s.get("gtin"), None, 0,
                                               lot=bool(s.get("lot"))))
    about = {nid: (epc, item, lot, of_lot or None, gtin or None) for nid, epc, item, lot, of_lot, gtin in zip(
        r["ids"], r["epcs"], r["items"], r["lot_nodes"], r["lots"], r["gtins"])}
    dsts, types, tids, times, quantities = r["dsts"], r["types"], r["tids"], r["times"], r["quantities"]
    out: dict[str, list[int]] = {}
    once: set[tuple] = set()  # as of a moment a link can come twice: undone later and made again
    for k, src in enumerate(r["srcs"]):
        link = (src, dsts[k], types[k], tids[k])
        if link not in once:
            once.add(link)
            out.setdefault(src, []).append(k)
    limit = GENEALOGY_MAX_DEPTH if depth is None else min(depth, GENEALOGY_MAX_DEPTH)
    frontier, level = list(closure.nodes), 0
    while frontier:
        if level == limit:  # is there anything beyond the limit? (the size limit may have cut already)
            closure.truncated = closure.truncated or \
                any(dsts[k] not in closure.nodes for src in frontier for k in out.get(src, ()))
            break
        level += 1
        nxt: list[str] = []
        for src in frontier:
            for k in out.get(src, ()):
                dst = dsts[k]
                if dst not in closure.nodes:
                    if max_nodes is not None and len(closure.nodes) >= max_nodes:
                        closure.truncated = True
                        continue
                    epc, item, lot, of_lot, gtin = about[dst]
                    closure.nodes[dst] = Node(epc, item, of_lot, gtin, src, level, lot=lot)
                    nxt.append(dst)
                closure.edges.append((src, dst))
                if not details:
                    continue
                q = quantities[k]
                closure.links.append(Link(src, dst, types[k], tids[k] or None, iso_time(times[k]),
                                          None if q != q else q))
        frontier = nxt
    return closure


def shortest_paths(starts: list[str], srcs: list[str], dsts: list[str], targets: set[str]) -> dict[str, list[str]]:
    """A shortest path (node ids, start first) from any of `starts` to each of `targets` it
    reaches, over the links srcs[k] -> dsts[k]: one breadth-first walk, over once every target
    is found (the recall scope's page of a small closure: recall/fast_answer)."""
    succ: dict[str, list[str]] = {}
    for a, b in zip(srcs, dsts):
        succ.setdefault(a, []).append(b)
    parent: dict[str, str | None] = dict.fromkeys(starts)
    frontier, found = list(parent), set()
    while frontier and len(found) < len(targets):
        nxt = []
        for a in frontier:
            if a in targets:
                found.add(a)
            for b in succ.get(a, ()):
                if b not in parent:
                    parent[b] = a
                    nxt.append(b)
        frontier = nxt
    out = {}
    for target in found:
        path, at = [], target
        while at is not None:
            path.append(at)
            at = parent[at]
        out[target] = path[::-1]
    return out


LINK_COLUMNS = ("ids", "epcs", "items", "lot_nodes", "lots", "gtins", "srcs", "dsts", "types", "tids", "times",
                "quantities")


def levels(tx: ManagedTransaction, starts: list[dict], direction: Direction, depth: int, max_nodes: int,
           seen: Callable[[dict], None] | None = None) -> Closure:
    """`bfs` for a closure bigger than `max_nodes`, reading it a level at a time
    (genealogy/level_*) and, of the level the size limit cuts, only as many new nodes as it
    keeps (and one more, which tells it was cut): the nodes and links `from_links` walks, not
    the whole closure. Same depths, parents and cuts as `bfs` (which nodes of the cut level
    are kept is arbitrary in both). `seen` is given each level's columns as read."""
    r: dict[str, list] = {k: [] for k in LINK_COLUMNS}
    frontier = list(dict.fromkeys(s["id"] for s in starts))
    known, level = set(frontier), 0
    limit = min(depth, GENEALOGY_MAX_DEPTH)
    while frontier:
        last = level == limit or len(known) >= max_nodes  # only: links among walked nodes, and is there more?
        found = columns(tx, f"genealogy/level_{direction}", ids=frontier, known=list(known),
                        budget=0 if last else max_nodes - len(known))
        for k in LINK_COLUMNS:
            r[k] += found[k]
        if seen:
            seen(found)
        if last:
            break
        frontier = [nid for nid in found["ids"] if nid not in known]
        known.update(frontier)
        level += 1
    return from_links(starts, r, depth, max_nodes)


@lru_cache(maxsize=65536)
def iso_time(text: str) -> datetime | None:
    """A time from Cypher's toString ('' for none): text costs the driver far less than a
    DateTime. A zone name in brackets may follow the offset. Cached: a link's time is
    its output's making time, and one event's time comes on many rows (datetimes are immutable)."""
    return datetime.fromisoformat(text.split("[", 1)[0]) if text else None


def reach(tx: ManagedTransaction, starts: list[dict], direction: Direction = "forward", full: bool = True) -> Closure:
    """The whole closure in one statement per CHUNK starts (no BFS parents or depths: `fast`);
    the links kept are those the cycle check needs."""
    closure = Closure(starts=list(dict.fromkeys(s["id"] for s in starts)), fast=True)
    read = state.reader()
    for i in range(0, len(closure.starts), CHUNK):
        r = columns(tx, f"genealogy/reach_{direction}", ids=closure.starts[i:i + CHUNK], full=full)
        for nid, epc, item, lot, of_lot, gtin, nxt, status, site, direct, ms, to in zip(
                r["ids"], r["epcs"], r["items"], r["lot_nodes"], r["lots"], r["gtins"], r["nexts"], r["statuses"],
                r["sites"], r["directs"], r["ship_ms"], r["ship_to"]):
            held = read(site, status, direct, ms, to) if item and status else None
            closure.nodes[nid] = Node(epc, item, of_lot or None, gtin or None, None, 0, held, lot)
            closure.edges += [(nid, x) for x in nxt]
    closure.edges = [(a, b) for a, b in closure.edges if b in closure.nodes]
    return closure
