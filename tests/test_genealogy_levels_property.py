"""Property: a closure bigger than the size limit is walked a level at a time, reading only as
many nodes of the cut level as the limit keeps (closure.levels); it keeps what the
one-statement BFS (closure.bfs) keeps, on random genealogies with cycles, against networkx
distances. And the genealogy's JSON (orjson, straight from the data) is its model's."""
import networkx as nx
import orjson
from hypothesis import given
from hypothesis import strategies as st

from graph.db import run
from tests.test_genealogy_walk_property import EXAMPLES, _depths, _links, _load, _parents_follow
from tracegraph.genealogy import closure, service
from tracegraph.genealogy.models import Genealogy


def _both(database, root: str, direction: str, depth: int, max_nodes: int):
    def work(tx):
        start = {"id": run(tx, "genealogy/root", epc=root)[0]["id"], "epc": root, "item": False}
        return (closure.bfs(tx, [start], direction, depth, max_nodes=max_nodes),
                closure.levels(tx, [start], direction, depth, max_nodes))
    return database.read_tx(work)


@EXAMPLES
@given(rng=st.randoms(use_true_random=False), pick=st.integers(0, 1000), depth=st.integers(1, 32),
       max_nodes=st.integers(1, 12), direction=st.sampled_from(["forward", "backward"]))
def test_levels_keep_what_the_bfs_keeps(database, rng, pick, depth, max_nodes, direction):
    graph, root = _load(database, rng, pick, direction)
    fast, level = _both(database, root, direction, depth, max_nodes)
    dist = nx.single_source_shortest_path_length(graph, root)
    # which nodes of the last level a size limit keeps is arbitrary in both: compare how many
    # of each depth, and everything else when nothing was cut by size
    counts = [sorted(_depths(c).values()) for c in (fast, level)]
    same = _depths(fast) == _depths(level) and _links(fast) == _links(level) \
        if len(fast.nodes) < max_nodes else True
    parents = _parents_follow(graph, level)
    # cut short: some node the root reaches was left out (by the depth or the size limit)
    cut = len(dist) > len(level.nodes)
    assert (counts[0], level.truncated, fast.truncated, same, parents,
            all(dist[n] == d for n, d in _depths(level).items())) == (counts[1], cut, cut, True, True, True)


@EXAMPLES
@given(rng=st.randoms(use_true_random=False), pick=st.integers(0, 1000), max_nodes=st.integers(1, 12),
       direction=st.sampled_from(["forward", "backward"]))
def test_genealogy_json_is_its_model(database, rng, pick, max_nodes, direction):
    _, root = _load(database, rng, pick, direction)
    tree = service.tree(database, root, direction, 32, max_nodes)
    assert orjson.dumps(tree, option=service.JSON_OPTIONS) == Genealogy.model_validate(tree).model_dump_json().encode()
