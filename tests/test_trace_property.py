"""Property: for random histories, every trace answer equals the networkx oracle."""
import random

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import schema
from loaders.epcis.document import parse_document
from tests import epcis as b
from tests.examples import examples
from tests.oracle import Oracle
from tracegraph.capture.writer import write_document
from tracegraph.genealogy import service as genealogy
from tracegraph.trace.service import trace, trace_page


def paged(database, root: str, direction: str, limit: int) -> dict:
    """Every page of `limit` serials, the serials concatenated and the other lists united."""
    out = {"serials": [], "lots": set(), "containers": set(), "sites": set(), "read_points": set(), "current": {}}
    after = None
    while True:
        page, after = trace_page(database, root, direction, limit, after)
        out["serials"] += page.serials
        out["current"].update(page.model_dump(mode="json")["current"])
        for key in ("lots", "containers", "sites", "read_points"):
            out[key] |= set(getattr(page, key))
        if after is None:
            return out


def history(rng: random.Random) -> tuple[list[dict], list[str]]:
    """A random but well-formed history: lot and serial genealogy, nested packing,
    unpacking, shipping between sites, decommissioning. One event per minute."""
    clock = iter(range(0, 10_000))
    events: list[dict] = []
    lots = [b.lgtin(f"L{i}") for i in range(rng.randint(1, 3))]
    events += [b.commission_lot(lot, next(clock), site=1) for lot in lots]
    for i in range(rng.randint(0, 2)):  # lot-to-lot transformations
        out = b.lgtin(f"M{i}")
        events.append(b.transform(next(clock), input_lots=rng.sample(lots, rng.randint(1, len(lots))),
                                  output_lots=[out], site=1))
        lots.append(out)
    serials: list[str] = []
    for i in range(rng.randint(1, 7)):  # item-level transformations
        ins = rng.sample(serials, rng.randint(0, min(2, len(serials))))
        in_lots = rng.sample(lots, rng.randint(0 if ins else 1, min(2, len(lots))))
        # Outputs of product 712345 can join a lot that is itself a genealogy node (L0, M0).
        item_ref = rng.choice(["812345", "712345"])
        outs = [b.sgtin(f"T{i}X{j}", item_ref) for j in range(rng.randint(1, 3))]
        events.append(b.transform(next(clock), inputs=ins, input_lots=in_lots, outputs=outs,
                                  lot_number=rng.choice(["F1", "F2", "L0", "M0", None]), site=2))
        serials += outs
    cases = [b.sscc(10 + i) for i in range(rng.randint(1, 3))]
    pallet = b.sscc(99)
    inside: dict[str, str] = {}  # child -> parent, as of now
    for _ in range(rng.randint(4, 30)):
        op = rng.choice(["pack", "pack_pallet", "unpack", "unpack_all", "ship", "receive", "observe", "decommission"])
        t, site = next(clock), rng.randint(2, 5)
        free = [s for s in serials if s not in inside]
        if op == "pack" and free:
            case = rng.choice(cases)
            kids = rng.sample(free, rng.randint(1, len(free)))
            events.append(b.pack(case, kids, t, site=site))
            inside.update({k: case for k in kids})
        elif op == "pack_pallet" and [c for c in cases if c not in inside]:
            kids = [c for c in cases if c not in inside]
            events.append(b.pack(pallet, kids, t, site=site))
            inside.update({k: pallet for k in kids})
        elif op == "unpack" and inside:
            child = rng.choice(sorted(inside))
            events.append(b.unpack(inside.pop(child), [child], t, site=site))
        elif op == "unpack_all" and inside:
            parent = rng.choice(sorted(set(inside.values())))
            events.append(b.unpack(parent, [], t, site=site))
            inside = {k: v for k, v in inside.items() if v != parent}
        elif op in ("ship", "receive", "observe"):
            what = rng.choice(serials + cases + [pallet])
            if op == "ship":
                events.append(b.ship([what], t, site=site, destination=rng.randint(2, 5)))
            else:
                events.append((b.receive if op == "receive" else b.observe)([what], t, site=site))
            if rng.random() < 0.3:  # seen at a read point (a dock) only, no bizLocation
                point = events[-1].pop("bizLocation")["id"]
                events[-1]["readPoint"] = {"id": point[:-1] + str(rng.randint(1, 300))}
        elif op == "decommission":
            events.append(b.decommission([rng.choice(serials)], t, site=site))
    roots = lots + [b.lgtin(f, r) for f in ("F1", "F2") for r in ("812345", "712345")] + serials + cases + [pallet]
    return events, roots


@settings(max_examples=examples(50, ci=25), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rng=st.randoms(use_true_random=False), pick=st.integers(min_value=0, max_value=10_000))
def test_trace_equals_oracle(database, rng, pick):
    schema.reset(database)
    events, roots = history(rng)
    write_document(database, parse_document(b.document(events), "random"))
    oracle = Oracle(events)
    roots = [r for r in roots if r in oracle.known()]
    root = roots[pick % len(roots)]
    for direction in ("forward", "backward"):
        got = trace(database, root, direction).model_dump(mode="json")
        want = oracle.trace(root, direction)
        assert got == want, f"{direction} trace of {root}"
        pages = paged(database, root, direction, 1 + pick % 3)
        assert pages == {k: set(v) if k in ("lots", "containers", "sites", "read_points") else v
                         for k, v in want.items() if k in pages}, f"{direction} trace of {root} in pages"
        # the genealogy tree is the same shared walk: its nodes are the oracle's closure
        nodes = {n.epc for n in genealogy.genealogy(database, root, direction, 32, 10_000).nodes}
        near = (nx.descendants if direction == "forward" else nx.ancestors)(oracle.genealogy, root) \
            if root in oracle.genealogy else set()
        assert nodes == {root} | near, f"{direction} genealogy of {root}"
