"""The genealogy a bulk load ships in its CSVs (tracegraph/bulk/genealogy.py): links as
ingest/genealogy makes them, and the InCycle marks of links and lot bindings on a loop.
Plain Python on hand-made transformations; that an imported graph equals a streamed one is
tests/test_bulk.py's property test."""
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.queries import GENEALOGY_MAX_DEPTH
from tracegraph.bulk.genealogy import Step, in_cycle, links


def lot(n: int) -> tuple[str, str]:
    return ("Lot", f"lot{n}")


def item(n: int) -> tuple[str, str]:
    return ("Object", f"item{n}")


def step(event_id: str, inputs: list, outputs: list) -> Step:
    return Step(event_id, "2024-01-01T00:00:00+00:00", [(n, 2.0, "KGM") for n in inputs], outputs)


def chain(nodes: list) -> list:
    """A link from each node to the next, one transformation each."""
    return links({f"t{k}": [step(f"e{k}", [a], [b])] for k, (a, b) in enumerate(zip(nodes, nodes[1:]))}, set())


def test_every_input_goes_into_every_output_of_the_transformation():
    found = links({"t": [step("e1", [lot(1)], [item(1)]), step("e2", [lot(2)], [item(2)])]}, set())
    assert {(k.source, k.target) for k in found} == {(a, b) for a in (lot(1), lot(2)) for b in (item(1), item(2))}


def test_a_declared_event_makes_no_link():
    found = links({"t": [step("e1", [lot(1)], [item(1)]), step("e2", [lot(2)], [item(2)])]}, {"e2"})
    assert [(k.source, k.target) for k in found] == [(lot(1), item(1))]


def test_a_link_keeps_the_first_output_event_and_the_input_quantity():
    found = links({"t": [step("e1", [lot(1)], [item(1)]), step("e2", [], [item(1)])]}, set())
    assert [(k.event_id, k.quantity, k.uom) for k in found] == [("e1", 2.0, "KGM")]


def test_no_loop_marks_nothing():
    assert in_cycle(chain([lot(1), lot(2), item(1)]), [(lot(3), item(1))]) == set()


def test_every_node_of_a_loop_of_links_is_marked():
    assert in_cycle(chain([lot(1), lot(2), lot(3), lot(1)]), []) == {lot(1), lot(2), lot(3)}


def test_a_link_into_itself_marks_its_node():
    assert in_cycle(chain([lot(1), lot(1)]), []) == {lot(1)}


def test_a_lot_binding_that_closes_a_loop_marks_the_lot_and_the_item():
    assert in_cycle(chain([item(1), lot(2), lot(1)]), [(lot(1), item(1))]) == {item(1), lot(2), lot(1)}


def test_a_loop_longer_than_the_walk_bound_is_not_marked():
    nodes = [lot(n) for n in range(GENEALOGY_MAX_DEPTH + 2)]  # back from any link's output: 33 steps
    assert in_cycle(chain([*nodes, nodes[0]]), []) == set()


def test_the_longest_loop_within_the_bound_is_marked():
    nodes = [lot(n) for n in range(GENEALOGY_MAX_DEPTH + 1)]  # 32 steps back
    assert in_cycle(chain([*nodes, nodes[0]]), []) == set(nodes)


def _marked_by_walks(into: list, bindings: list) -> set:
    """The oracle: a link or a lot binding is marked when a walk of 1..GENEALOGY_MAX_DEPTH steps
    leads from its end back to its start (every edge tried, nothing trimmed or grouped first)."""
    edges = [(k.source, k.target) for k in into] + list(bindings)
    out: dict = {}
    for a, b in edges:
        out.setdefault(a, set()).add(b)
    has_link_out = {k.source for k in into}
    marked = set()
    for start, end in [(k.source, k.target) for k in into] + [(a, b) for a, b in bindings if b in has_link_out]:
        frontier, seen = {end}, {end}
        for _ in range(GENEALOGY_MAX_DEPTH + 1):  # 0..GENEALOGY_MAX_DEPTH steps back
            if start in frontier or start == end:
                marked.update((start, end))
                break
            frontier = {n for f in frontier for n in out.get(f, ())} - (seen - {start})
            seen |= frontier
    return marked


@settings(max_examples=150, deadline=None)
@given(pairs=st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=14),
       binds=st.lists(st.tuples(st.integers(0, 7), st.integers(0, 3)), max_size=5))
def test_marks_match_walks_over_every_edge(pairs, binds):
    """Trimming the edges that cannot be on a loop before the search changes no mark."""
    into = links({f"t{k}": [step(f"e{k}", [lot(a)], [lot(b) if b < 4 else item(b)])]
                  for k, (a, b) in enumerate(pairs)}, set())
    into += links({f"u{k}": [step(f"f{k}", [item(b)], [lot(a)])] for k, (a, b) in enumerate(binds)}, set())
    bindings = [(lot(a), item(b)) for a, b in binds]
    assert in_cycle(into, bindings) == _marked_by_walks(into, bindings)
