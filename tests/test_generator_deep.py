"""The generator's "deep" shape: 6-level genealogy, 3 container levels; "standard" stays as it was."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import networkx as nx
import pytest

from loaders.generator import generate
from tests import test_generator as checks
from tests.test_generator import _events, _kind_of, _replay, _vocab

SERIALS = 300
PER_FILE = 500
# sha256 of the part files of generate(..., 300, seed=1, events_per_file=500) from before "deep" existed.
STANDARD_300_SHA256 = "a37bdbbf3576a46b7febda94ef4a0638770869df39f0c20773a897504b1f54a4"


def _parts(path: Path) -> list[Path]:
    return sorted(path.glob("part-*.json"))


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    for p in _parts(path):
        h.update(p.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def deep(tmp_path_factory):
    path = tmp_path_factory.mktemp("deep")
    stats = generate(path, SERIALS, seed=1, events_per_file=PER_FILE, shape="deep")
    return path, stats, [json.loads(p.read_text(encoding="utf-8")) for p in _parts(path)]


def _genealogy(docs) -> nx.DiGraph:
    """input → output for every TransformationEvent; nodes are SGTINs and LGTIN classes."""
    g = nx.DiGraph()
    for e in _events(docs):
        if e["type"] != "TransformationEvent":
            continue
        ins = e.get("inputEPCList", []) + [q["epcClass"] for q in e.get("inputQuantityList", [])]
        outs = e.get("outputEPCList", []) + [q["epcClass"] for q in e.get("outputQuantityList", [])]
        g.add_edges_from((i, o) for i in ins for o in outs)
    return g


def _devices(docs) -> set[str]:
    kind = _kind_of(_vocab(docs))
    return {epc for e in _events(docs) if e["type"] == "TransformationEvent"
            for epc in e.get("outputEPCList", [])
            if kind[".".join(epc.removeprefix("urn:epc:id:sgtin:").split(".")[:2])] == "finished_good"}


def test_genealogy_is_six_transformations_deep(deep):
    _, stats, docs = deep
    g = _genealogy(docs)
    assert nx.is_directed_acyclic_graph(g)
    # Longest chain of INTO hops ending at each node (0 for raw lots and bought-in parts).
    depth: dict[str, int] = {}
    for n in nx.topological_sort(g):
        depth[n] = max((depth[p] + 1 for p in g.predecessors(n)), default=0)
    devices = _devices(docs)
    assert len(devices) == stats.serials == SERIALS
    assert max(depth[d] for d in devices) == 6
    assert max(depth.values()) == 6
    deepest = next(d for d in sorted(devices) if depth[d] == 6)
    chain = [deepest]
    while g.in_degree(chain[-1]):
        chain.append(max(g.predecessors(chain[-1]), key=depth.__getitem__))
    assert len(chain) == 7 and chain[-1].startswith("urn:epc:class:lgtin:")  # ends at a raw-material lot
    # Lots are shared: the deepest raw lot reaches devices of more than one production order.
    reached = nx.descendants(g, chain[-1]) & devices
    assert len(reached) > 50
    lots = {e["ilmd"]["cbvmda:lotNumber"] for e in _events(docs)
            if e["type"] == "TransformationEvent" and set(e.get("outputEPCList", [])) & reached}
    assert len(lots) >= 2


def test_packing_has_three_container_levels(deep):
    _, _, docs = deep
    children: dict[str, list[str]] = {}

    def levels(epc: str) -> int:  # containers from `epc` down to a device, as packed right now
        return 1 + max(map(levels, children[epc])) if children.get(epc) else 0

    chain: list[str] = []
    deepest = 0
    for e in _events(docs):
        if e["type"] == "AggregationEvent":
            parent = e["parentID"]
            children[parent] = e["childEPCs"] if e["action"] == "ADD" else []
            if e["action"] == "ADD" and levels(parent) > deepest:
                deepest = levels(parent)
                chain = [parent]
                while children.get(chain[-1]):
                    chain.append(children[chain[-1]][0])
    assert deepest == 3
    pallet, case, pack, device = chain  # item → inner pack → case → pallet
    assert all(x.startswith("urn:epc:id:sscc:") for x in (pallet, case, pack))
    assert device in _devices(docs)


def test_deep_run_passes_the_standard_checks(deep):
    """Schema-valid, consistent counts, and clean: every object's events in time
    order, nothing handled while packed or used after consumption."""
    checks.test_every_file_validates_against_the_epcis_schema(deep)
    checks.test_identifiers_and_common_fields(deep)
    checks.test_master_data(deep)
    checks._check_counts(deep[1], deep[2], SERIALS, PER_FILE)
    tracker = _replay(deep[2])
    assert tracker.steps[("AggregationEvent", "unpacking", "in_progress")] > 0


def test_deep_same_seed_same_bytes(deep, tmp_path):
    path, _, _ = deep
    generate(tmp_path, SERIALS, seed=1, events_per_file=PER_FILE, shape="deep")
    assert [p.name for p in _parts(tmp_path)] == [p.name for p in _parts(path)]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(_parts(tmp_path), _parts(path)))


def test_standard_is_unchanged(tmp_path):
    generate(tmp_path / "default", SERIALS, seed=1, events_per_file=PER_FILE)
    generate(tmp_path / "standard", SERIALS, seed=1, events_per_file=PER_FILE, shape="standard")
    assert _digest(tmp_path / "default") == _digest(tmp_path / "standard") == STANDARD_300_SHA256


def test_unknown_shape_is_refused(tmp_path):
    with pytest.raises(ValueError, match="shape"):
        generate(tmp_path, 10, shape="wide")
