"""Property: the places the writer stores on each item (recalls.state: recall/item_places)
are what trace/places.cypher counts for it, and the one-statement trace (trace/fast_*)
answers as the path that counts from events does, for random histories sent in random
documents: nested packing and unpacking, shipments, read points with and without master
data (which may arrive after the events), and error declarations."""
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import NotFound
from graph import schema
from loaders.epcis.document import parse_document
from tests import epcis as b
from tests.examples import examples
from tests.test_trace_property import history
from tracegraph.capture.writer import write_document
from tracegraph.recalls import state
from tracegraph.trace import service
from tracegraph.trace.service import trace

ELSEWHERE = b.sgln(7)  # where master data puts some read points


def master(points: list[str]) -> list[dict]:
    return [{"type": "urn:epcglobal:epcis:vtype:ReadPoint", "vocabularyElementList": [
        {"id": p, "attributes": [{"id": "urn:epcglobal:cbv:mda#parentSite", "attribute": ELSEWHERE}]}
        for p in points]}]


def site_of(point: str, mapped: set[str]) -> str:
    """A read point's site, written apart from trace/read_point_site: master data, else the
    SGLN with extension 0 (every read point here is an SGLN)."""
    return ELSEWHERE if point in mapped else point.rsplit(".", 1)[0] + ".0"


def load(db, rng: random.Random, documents: int) -> tuple[list[str], set[str]]:
    """A random history in random documents, some events declared erroneous in a later one,
    master data for some read points in a random document; the roots and the mapped points."""
    events, roots = history(rng)
    declared = [dict(ev, errorDeclaration={"declarationTime": b.at(20_000), "reason": "incorrect_data"})
                for ev in rng.sample(events, rng.randint(0, min(3, len(events))))]
    points = sorted({ev["readPoint"]["id"] for ev in events if "readPoint" in ev})
    mapped = set(rng.sample(points, rng.randint(0, len(points))))
    parts: list[list[dict]] = [[] for _ in range(documents)]
    for ev in events:
        parts[rng.randrange(documents)].append(ev)
    parts.append(declared)
    with_master = rng.randrange(len(parts))
    for n, part in enumerate(parts):
        extra = master(sorted(mapped)) if n == with_master and mapped else None
        if part or extra:
            if not part:  # master data alone: a document still needs an event
                part = [b.observe([roots[-1]], 30_000 + n, site=6)]
            write_document(db, parse_document(b.document(part, extra), f"doc{n}"))
    return roots, mapped


def items(db) -> list[str]:
    return sorted(r["epc"] for r in db.driver.execute_query("MATCH (i:Item) RETURN i.epc AS epc").records)


def stored_places(db, epc: str) -> dict:
    found = db.driver.execute_query("MATCH (i:Object {epc: $epc}) RETURN i.state_where AS where, i.state_v AS v",
                                    epc=epc).records[0]
    return {"v": found["v"], **state.unwhere(found["where"] or [])}  # nowhere: no property


def answers(db, roots: list[str]) -> dict:
    out = {}
    for root in roots:
        for direction in ("forward", "backward"):
            try:
                out[root, direction] = trace(db, root, direction).model_dump(mode="json")
            except NotFound as exc:  # a root the history never wrote: not found either way
                out[root, direction] = type(exc).__name__
    return out


@settings(max_examples=examples(30, ci=15), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), documents=st.integers(1, 3))
def test_stored_places_equal_counted_places(database, seed, documents):
    schema.reset(database)
    rng = random.Random(seed)
    _, mapped = load(database, rng, documents)
    for epc in items(database):
        kept = stored_places(database, epc)
        counted = service.places(database, [epc])
        assert (kept["v"], set(kept["containers"]), set(kept["read_points"])) == \
            (state.VERSION, counted["containers"], counted["read_points"]), epc
        assert set(kept["places"]) | {site_of(p, mapped) for p in kept["bare"]} == counted["sites"], epc


@settings(max_examples=examples(30, ci=15), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), documents=st.integers(1, 3), limit=st.integers(1, 4))
def test_one_statement_trace_equals_counting_from_events(database, seed, documents, limit):
    schema.reset(database)
    rng = random.Random(seed)
    roots, _ = load(database, rng, documents)
    roots = rng.sample(roots, min(4, len(roots)))
    fast = answers(database, roots)
    pages = {(root, d): service.trace_page(database, root, d, limit)[0].serials
             for root in roots for d in ("forward", "backward") if isinstance(fast[root, d], dict)}
    # as if loaded by an older version: some items without state, the rest without places
    everything = items(database)
    bare = rng.sample(everything, rng.randint(0, len(everything)))
    database.driver.execute_query("MATCH (i:Item) REMOVE i.state_v")
    database.driver.execute_query(
        "UNWIND $epcs AS epc MATCH (i:Object {epc: epc}) REMOVE i.state_status, i.state_site, i.state_key",
        epcs=bare)
    assert (sorted(state.pending(database)), answers(database, roots)) == (everything, fast)
    assert {k: service.trace_page(database, k[0], k[1], limit)[0].serials for k in pages} == pages
    state.backfill(database, state.pending(database))
    assert (state.pending(database), answers(database, roots)) == ([], fast)


def test_refresh_state_stores_the_places_of_items_of_the_older_format(db, cli):
    from tests import scenario as s
    write_document(db, parse_document(b.document(s.events()), "scenario"))
    want = trace(db, s.A, "forward")
    db.driver.execute_query("MATCH (i:Item) WHERE i.epc IN $e REMOVE i.state_v, i.state_where", e=[s.D1, s.D2])
    out = cli("db", "refresh-state")
    assert (out.stdout.strip().splitlines()[-1], stored_places(db, s.D1)["v"], trace(db, s.A, "forward")) == \
        ("stored the state of 2 items", state.VERSION, want)
