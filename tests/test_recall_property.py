"""Property: for random histories, every recall scope (any starts, as-of, depth,
include/exclude options) equals the networkx oracle computed from the same events."""
import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from core.errors import NotFound
from graph import schema
from loaders.epcis.document import parse_document
from tests import epcis as b
from tests.examples import examples
from tests.oracle import Oracle
from tests.test_genealogy_walk_property import _load
from tests.test_trace_property import history
from tracegraph.capture.writer import write_document
from tracegraph.recalls import service
from tracegraph.recalls.models import ScopeRequest


def _shift(events: list[dict]) -> list[dict]:
    """Move the events to just after the load (one second apart, order and ties kept,
    within the ingest's future tolerance), so that as-of times between them see every
    record (`recorded` <= as_of) and the event-time rule alone decides."""
    base = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=30)
    ranks = {t: n for n, t in enumerate(sorted({ev["eventTime"] for ev in events}))}
    assert len(ranks) < 200
    for ev in events:
        ev["eventTime"] = (base + timedelta(seconds=ranks[ev["eventTime"]])).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return events


def with_returns(rng: random.Random, events: list[dict]) -> list[dict]:
    """Add a few returns (shipped back with disposition 'returned') and multi-hop shipments."""
    serials = sorted({e for ev in events for e in ev.get("outputEPCList", [])})
    t = 20_000
    for s in rng.sample(serials, min(len(serials), rng.randint(0, 2))):
        events.append(b.ship([s], t, site=3, destination=4))
        events.append(b.observe([s], t + 1, site=4, biz_step="shipping", disposition="returned", destination=1))
        t += 2
    return events


@settings(max_examples=examples(40, ci=20), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rng=st.randoms(use_true_random=False), picks=st.lists(st.integers(0, 10_000), min_size=1, max_size=3),
       depth=st.one_of(st.none(), st.integers(0, 4)), as_of_pick=st.one_of(st.none(), st.integers(0, 10_000)),
       include_decommissioned=st.booleans(), include_returned=st.booleans())
def test_scope_equals_oracle(database, rng, picks, depth, as_of_pick, include_decommissioned, include_returned):
    schema.reset(database)
    events, roots = history(rng)
    events = _shift(with_returns(rng, events))
    write_document(database, parse_document(b.document(events), "random"))
    known = Oracle(events).known()
    roots = [r for r in roots if r in known]
    starts = []
    for p in picks:
        root = roots[p % len(roots)]
        kind = "container" if ":sscc:" in root else ("lot" if ":lgtin:" in root else "serial")
        starts.append((kind, root))
    times = sorted(datetime.fromisoformat(ev["eventTime"].replace("Z", "+00:00")) for ev in events)
    as_of = None if as_of_pick is None else times[as_of_pick % len(times)]
    request = ScopeRequest(starts=[{"kind": k, "id": e} for k, e in starts], as_of=as_of, max_depth=depth,
                           include_decommissioned=include_decommissioned, include_returned=include_returned)
    s = service.compute(database, request)
    got = {"serials": s.serials, "status": {e: s.bucket_of(e).value for e in s.serials},
           "consignees": {c.site: (c.quantity, c.last_shipment) for c in service.consignees(service.tally(s))}}
    oracle = Oracle(events, as_of=as_of)
    want = oracle.scope(starts, depth, include_decommissioned, include_returned)
    assert got == want, f"scope of {starts} as of {as_of}, depth {depth}"
    if depth is None:  # the answer counted inside Neo4j agrees too
        for fast in counted(database, request.model_copy(update={"page_size": 1000})):
            # (as of a moment it counts only when every item's stored state was its state then)
            assert fast is not None or as_of is not None
            if fast is not None:
                counted_agrees(fast, s, want)
                shortest_paths(oracle, starts, fast.serials)
        # one start alone: searched per serial, its paths are searched between both ends (recall/path)
        for one in counted(database, request.model_copy(update={"starts": request.starts[:1], "page_size": 1000})):
            assert one is not None or as_of is not None
            if one is not None:
                shortest_paths(oracle, starts[:1], one.serials)


def counted(database, request: ScopeRequest) -> list:
    """`overview` with the page's paths found both ways: one walk over the closure's links, and a
    search per serial (recall/path), as for a closure bigger than PATHS_BY_LINKS nodes per serial."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(service, "PATHS_BY_LINKS", 0)
        searched = service.overview(database, request)
    return [service.overview(database, request), searched]


def counted_agrees(fast, walked: service.Scope, want: dict) -> None:
    """The answer counted inside Neo4j (`overview`) names the oracle's serials, statuses and
    consignees, and counts as the Python walk does."""
    assert {"serials": [r.epc for r in fast.serials], "status": {r.epc: r.status.value for r in fast.serials},
            "consignees": {c.site: (c.quantity, c.last_shipment) for c in fast.consignees}} == want
    t = service.tally(walked)
    assert (fast.summary, fast.aggregations) == (service.summary(t, len(fast.consignees)), service.aggregations(t))


def shortest_paths(oracle: Oracle, starts: list[tuple[str, str]], serials: list) -> None:
    """Each serial's path is a shortest derivation path from a start (which of equal ones is the engine's)."""
    roots = oracle.roots(starts)
    distance = oracle.distances(roots)  # one search for all the serials
    for r in serials:
        assert r.path[0] in roots and r.path[-1] == r.epc, r.path
        assert all(oracle.genealogy.has_edge(a, b) for a, b in zip(r.path, r.path[1:])), r.path
        assert len(r.path) - 1 == distance.get(r.epc), (r.path, starts)


@settings(max_examples=examples(30, ci=15), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rng=st.randoms(use_true_random=False), picks=st.lists(st.integers(0, 10_000), min_size=1, max_size=3),
       depth=st.one_of(st.none(), st.integers(0, 4)), share=st.floats(0.2, 0.8), undone=st.floats(0, 0.4),
       include_decommissioned=st.booleans(), include_returned=st.booleans())
def test_an_as_of_scope_sees_only_the_records_made_by_then(database, rng, picks, depth, share, undone,
                                                           include_decommissioned, include_returned):
    """Histories recorded in two loads, each event in one of them at random (all happened before
    either), the second also declaring a share (`undone`) of the first's events erroneous: as of
    a moment between the loads, a scope equals the oracle of the first load's events alone.
    Events, lot bindings, genealogy links, packings, unpackings and error declarations recorded
    later must all stay out of it (a declaration's undone links are kept: ingest/declare_errors)."""
    schema.reset(database)
    events, roots = history(rng)
    events = with_returns(rng, events)
    first = [ev for ev in events if rng.random() < share]
    later = [ev for ev in events if not any(ev is f for f in first)]
    later += [dict(ev, errorDeclaration={"declarationTime": ev["eventTime"], "reason": "incorrect_data"})
              for ev in first if rng.random() < undone]
    assume(first and later)
    write_document(database, parse_document(b.document(first), "first"))
    between = datetime.now(UTC)
    write_document(database, parse_document(b.document(later), "later"))
    known = Oracle(first).known()
    roots = [r for r in roots if r in known]
    assume(roots)
    starts = []
    for p in picks:
        root = roots[p % len(roots)]
        starts.append(("container" if ":sscc:" in root else ("lot" if ":lgtin:" in root else "serial"), root))
    request = ScopeRequest(starts=[{"kind": k, "id": e} for k, e in starts], as_of=between, max_depth=depth,
                           include_decommissioned=include_decommissioned, include_returned=include_returned)
    s = service.compute(database, request)
    got = {"serials": s.serials, "status": {e: s.bucket_of(e).value for e in s.serials},
           "consignees": {c.site: (c.quantity, c.last_shipment) for c in service.consignees(service.tally(s))}}
    oracle = Oracle(first, as_of=between)
    want = oracle.scope(starts, depth, include_decommissioned, include_returned)
    assert got == want, f"scope of {starts} as of the moment between the loads, depth {depth}"
    if depth is None:  # counted inside Neo4j when every item's stored state was its state then
        for fast in counted(database, request.model_copy(update={"page_size": 1000})):
            if fast is not None:
                counted_agrees(fast, s, want)
                shortest_paths(oracle, starts, fast.serials)


def _answer(scope) -> tuple:
    """A recall answer without its paths' choice among equal ones, nor which cycles were found."""
    rows = [r.model_copy(update={"path": len(r.path or [])}) for r in scope.serials]
    return scope.summary, scope.aggregations, scope.consignees, rows, bool(scope.cycles)


@settings(max_examples=examples(20, ci=10), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rng=st.randoms(use_true_random=False), pick=st.integers(0, 1000), as_of=st.booleans())
def test_a_counted_scope_with_cycles_in_the_data_is_the_walks(database, rng, pick, as_of):
    """On random genealogies with cycles (bad data): the scope answered by the counted statement
    (which trusts ingest's :InCycle labels to hand a cyclic closure to the walk) equals the
    breadth-first walk's, cycles reported or not alike; now and as of a moment after the records."""
    _, root = _load(database, rng, pick, "forward")
    request = ScopeRequest(starts=[{"kind": "lot" if ":lgtin:" in root else "serial", "id": root}],
                           as_of=datetime.now(UTC) if as_of else None, page_size=1000)
    assert _answer_of(database, request) == _answer_of(database, request.model_copy(update={"max_depth": 32}))


def _answer_of(database, request: ScopeRequest):
    try:
        return _answer(service.scope(database, request))
    except NotFound as exc:  # a serial only ever used up: not an item, for both alike
        return str(exc)
