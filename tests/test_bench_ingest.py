"""The ingest benchmark's baselines load what they claim to (the timed runs are in `make bench`)."""
from graph import schema
from loaders.generator import generate
from loaders.ingest import expand, load_files
from tracegraph.bench import ingest as bench


def _observations(db) -> set[tuple]:
    return {(r["event_id"], r["epc"], r["role"]) for r in db.read("test/observed_pairs")}


def test_graph_baseline_writes_the_same_observations_as_tracegraph(db, tmp_path):
    generate(tmp_path, serials=40, seed=3)
    files = expand([tmp_path])
    assert bench.graph_baseline(db, files) > 0
    baseline = _observations(db)
    schema.reset(db)
    load_files(db, files)
    assert baseline == _observations(db)


def test_raw_baseline_stores_one_node_per_event(db, tmp_path):
    generate(tmp_path, serials=40, seed=3)
    files = expand([tmp_path])
    n = bench.baseline(db, files)
    assert len(db.read("test/event_ids")) == n > 0
