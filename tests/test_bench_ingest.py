"""The ingest benchmark's baselines load what they claim to (the timed runs are in `make bench`)."""
import pytest

from graph import schema
from loaders.generator import generate
from tests.epcis import observe, sgtin, write
from tracegraph.bench import ingest as bench
from tracegraph.capture.files import expand, load_files


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


@pytest.mark.parametrize("command", [["bench", "ingest", "--events", "10"], ["bench", "rules", "--serials", "10"],
                                     ["bench", "verify", "--serials", "10"]])
def test_benchmarks_that_empty_the_database_ask_for_reset(db, tmp_path, cli, command):
    load_files(db, [write(tmp_path / "a.json", [observe([sgtin("A1")], 0, site=1)])])
    result = cli(*command)  # against the test database: without the check it would empty it
    refused = result.exit_code != 0 and "pass --reset" in str(result.exception)  # main() prints it as one line
    assert (refused, _observations(db) != set()) == (True, True)
