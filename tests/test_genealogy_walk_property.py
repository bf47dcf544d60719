"""Property: the one-statement genealogy BFS (closure.bfs) against networkx BFS distances on
random genealogies with cycles, and against the level-by-level walk (the as-of path)."""
import random
from datetime import UTC, datetime

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import schema
from graph.db import run
from loaders.epcis.document import parse_document
from tests import epcis as b
from tests.oracle import Oracle
from tracegraph.capture.writer import write_document
from tracegraph.genealogy import closure

LATER = datetime(2100, 1, 1, tzinfo=UTC)  # an as-of after everything: the level walk, no link left out


def genealogy_events(rng: random.Random) -> list[dict]:
    """Transformations between a few serials and lots, in any order (so cycles happen), some
    outputs commissioned into a lot (HAS_ITEM links)."""
    serials = [b.sgtin(f"W{i}") for i in range(rng.randint(2, 9))]
    lots = [b.lgtin(f"K{i}") for i in range(rng.randint(1, 3))]
    lot_of = {s: rng.choice(["K0", "K1", None, None]) for s in serials}  # a serial is of one lot at most
    events = []
    for t in range(rng.randint(1, 12)):
        ins = rng.sample(serials, rng.randint(0, 2))
        in_lots = rng.sample(lots, rng.randint(0 if ins else 1, 1))
        first, *more = rng.sample(serials, rng.randint(1, 2))
        outs = [first] + [s for s in more if lot_of[s] == lot_of[first]]
        events.append(b.transform(t, inputs=ins, input_lots=in_lots, outputs=outs, lot_number=lot_of[first]))
    return events


def _walks(database, root: str, direction: str, depth: int, max_nodes: int):
    def work(tx):
        start = {"id": run(tx, "genealogy/root", epc=root)[0]["id"], "epc": root, "item": False}
        return (closure.walk(tx, [start], direction, depth, max_nodes=max_nodes),
                closure.walk(tx, [start], direction, depth, as_of=LATER, max_nodes=max_nodes))
    return database.read_tx(work)


def _load(database, rng, pick: int, direction: str) -> tuple[nx.DiGraph, str]:
    """A random genealogy stored, its oracle graph oriented the way of the walk, and a root."""
    schema.reset(database)
    events = genealogy_events(rng)
    write_document(database, parse_document(b.document(events), "random"))
    graph = Oracle(events).genealogy
    graph = graph if direction == "forward" else graph.reverse()
    return graph, sorted(graph.nodes)[pick % len(graph)]


EXAMPLES = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# a random genealogy, a node of it, a depth limit of a few links, a direction
SHALLOW_WALKS = given(rng=st.randoms(use_true_random=False), pick=st.integers(0, 1000), depth=st.integers(1, 4),
                      direction=st.sampled_from(["forward", "backward"]))


def _depths(c: closure.Closure) -> dict[str, int]:
    return {n.epc: n.depth for n in c.nodes.values()}


def _links(c: closure.Closure) -> set[tuple[str, str]]:
    return {(c.nodes[a].epc, c.nodes[b].epc) for a, b in c.edges}


def _parents_follow(graph: nx.DiGraph, c: closure.Closure) -> bool:
    """Every kept node's parent is a graph predecessor one level above it."""
    return all(graph.has_edge(c.nodes[n.parent].epc, n.epc) and n.depth == c.nodes[n.parent].depth + 1
               for n in c.nodes.values() if n.parent is not None)


@EXAMPLES
@SHALLOW_WALKS
def test_bfs_depths_are_networkx_distances(database, rng, pick, depth, direction):
    graph, root = _load(database, rng, pick, direction)
    fast, _ = _walks(database, root, direction, depth, 10_000)
    far = nx.single_source_shortest_path_length(graph, root, cutoff=depth + 1)
    want = {n: d for n, d in far.items() if d <= depth}
    assert (_depths(fast), fast.truncated) == (want, max(far.values()) > depth)


@EXAMPLES
@SHALLOW_WALKS
def test_bfs_parents_and_links_follow_the_graph(database, rng, pick, depth, direction):
    graph, root = _load(database, rng, pick, direction)
    fast, _ = _walks(database, root, direction, depth, 10_000)
    depth_of = _depths(fast)
    parents_ok = _parents_follow(graph, fast)
    # the links walked: every link between closure nodes that leaves a node above the depth limit
    want = {(a, z) for a, z in graph.subgraph(depth_of).edges if depth_of[a] < depth}
    assert (parents_ok, _links(fast)) == (True, want)


@EXAMPLES
@given(rng=st.randoms(use_true_random=False), pick=st.integers(0, 1000), depth=st.integers(1, 32),
       max_nodes=st.integers(1, 12), direction=st.sampled_from(["forward", "backward"]))
def test_bfs_equals_the_level_walk(database, rng, pick, depth, max_nodes, direction):
    _, root = _load(database, rng, pick, direction)
    fast, level = _walks(database, root, direction, depth, max_nodes)
    # which nodes of the last level a size limit keeps is arbitrary in both: compare how many
    # of each depth, and everything else when nothing was cut by size
    counts = [sorted(_depths(c).values()) for c in (fast, level)]
    same = _depths(fast) == _depths(level) and _links(fast) == _links(level) \
        if len(level.nodes) < max_nodes else True
    assert (counts[0], fast.truncated, same) == (counts[1], level.truncated, True)


@EXAMPLES
@given(rng=st.randoms(use_true_random=False), pick=st.integers(0, 1000), max_nodes=st.integers(1, 6),
       direction=st.sampled_from(["forward", "backward"]))
def test_size_limit_keeps_a_bfs_prefix(database, rng, pick, max_nodes, direction):
    graph, root = _load(database, rng, pick, direction)
    fast, _ = _walks(database, root, direction, 32, max_nodes)
    dist = nx.single_source_shortest_path_length(graph, root)
    got = _depths(fast)
    deepest = max(got.values())
    prefix = {n for n, d in dist.items() if d < deepest} <= set(got)
    assert (len(got), fast.truncated, prefix, all(dist[n] == d for n, d in got.items())) == \
        (min(max_nodes, len(dist)), len(dist) > max_nodes, True, True)


def _real_cycle(graph: nx.DiGraph, cycle: list[str]) -> bool:
    return all(graph.has_edge(a, z) for a, z in zip(cycle, cycle[1:] + cycle[:1]))


@EXAMPLES
@SHALLOW_WALKS
def test_cycles_are_found_when_networkx_finds_one(database, rng, pick, depth, direction):
    # (closure.cycles skips its search when no link walked keeps its level or goes back)
    graph, root = _load(database, rng, pick, direction)
    for walked in _walks(database, root, direction, depth, 10_000):
        found = walked.cycles()
        links = nx.DiGraph(list(_links(walked)))
        assert (bool(found), all(_real_cycle(links, c) for c in found)) == \
            (not nx.is_directed_acyclic_graph(links), True)
