"""Genealogy for the import CSVs: the INTO links ingest/genealogy would MERGE after the import,
and the InCycle marks it and ingest/lot_members would set, computed from the replayed events.

A node is (id space, key): ("Object", epc), ("Lot", epc) or ("Product", gtin), the importer's
ID spaces. Like ingest/genealogy: every input of a transformation (all events sharing its
transformationID, none declared erroneous) INTO every output; a link keeps the output event,
its time and the input's quantity of the first pair that made it (events in load order).
A link or a lot binding on a loop of at most GENEALOGY_MAX_DEPTH links marks both its ends.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Set
from dataclasses import dataclass, field

import networkx as nx

from graph.queries import GENEALOGY_MAX_DEPTH

Node = tuple[str, str]


@dataclass(slots=True)  # one per transformation event, kept to the end of the load
class Step:
    """One event of a transformation: what it took in (node, quantity, uom) and gave out."""
    event_id: str
    time: str
    inputs: list[tuple[Node, float | None, str | None]] = field(default_factory=list)
    outputs: list[Node] = field(default_factory=list)
    doc: int = 0  # the document it came in (the load's order)

    def add(self, role: str, node: Node, quantity: float | None, uom: str | None) -> None:
        if role == "input":
            self.inputs.append((node, quantity, uom))
        elif role == "output":
            self.outputs.append(node)


@dataclass
class Link:
    source: Node
    target: Node
    transformation_id: str
    event_id: str
    time: str
    quantity: float | None
    uom: str | None
    retracted: str | None = None  # a WAS_INTO: an error declaration undid it then (ingest/declare_errors)


def links(steps: dict[str, list[Step]], declared: Set[str]) -> list[Link]:
    """Every (input, output, transformationID) link once, transformations in ID order."""
    out: dict[tuple[Node, Node, str], Link] = {}
    for tid in sorted(steps):
        counted = [s for s in steps[tid] if s.event_id not in declared]
        for given in counted:
            for source, quantity, uom in given.inputs:
                for made in counted:
                    for target in made.outputs:
                        key = (source, target, tid)
                        if key not in out:
                            out[key] = Link(source, target, tid, made.event_id, made.time, quantity, uom)
    return list(out.values())


def in_cycle(into: list[Link], bindings: list[tuple[Node, Node]]) -> set[Node]:
    """The ends of every link, and of every lot binding (lot, item) whose item has a link out,
    that closes a loop over INTO and HAS_ITEM within GENEALOGY_MAX_DEPTH steps."""
    has_link_out = {link.source for link in into}
    lots = {lot for lot, _ in bindings}
    # a binding whose item has no edge out (no link out, and it binds nothing itself) closes no loop:
    # most go here, before the trim below, which passes over every edge it is given
    bindings = [(lot, item) for lot, item in bindings if item in has_link_out or item in lots]
    graph = nx.DiGraph()
    graph.add_edges_from(_on_cycles([(link.source, link.target) for link in into] + bindings))
    component: dict[Node, int] = {}
    for n, nodes in enumerate(nx.strongly_connected_components(graph)):
        if len(nodes) > 1:
            component.update(dict.fromkeys(nodes, n))
    marked: set[Node] = set()
    if not component and not any(link.source == link.target for link in into):
        return marked
    candidates = [(link.source, link.target) for link in into]
    candidates += [(lot, item) for lot, item in bindings if item in has_link_out]
    for start, end in candidates:
        if start == end:
            marked.add(start)
        elif start in component and component[start] == component.get(end) and _reaches(graph, end, start):
            marked.update((start, end))
    return marked


def _on_cycles(edges: list[tuple[Node, Node]]) -> list[tuple[Node, Node]]:
    """`edges` less those that cannot be on a loop (trimmed until none is left to trim): an edge
    whose start has no edge in or whose end has no edge out. Every loop keeps all its edges, so
    the components and the walks back below find the same loops; an acyclic genealogy (the usual
    one) keeps nothing, where building the whole graph cost more than writing the CSVs."""
    while edges:
        starts = {u for u, _ in edges}
        ends = {v for _, v in edges}
        kept = [(u, v) for u, v in edges if u in ends and v in starts]
        if len(kept) == len(edges):
            break
        edges = kept
    return edges


def _reaches(graph: nx.DiGraph, source: Node, target: Node) -> bool:
    """A path source -> target of 1..GENEALOGY_MAX_DEPTH steps (breadth first)."""
    depth = {source: 0}
    queue = deque([source])
    while queue:
        node = queue.popleft()
        if depth[node] == GENEALOGY_MAX_DEPTH:
            continue
        for nxt in graph.successors(node):
            if nxt == target:
                return True
            if nxt not in depth:
                depth[nxt] = depth[node] + 1
                queue.append(nxt)
    return False
