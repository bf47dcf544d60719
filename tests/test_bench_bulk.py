"""`make bench`: `load --bulk` against the relational peer's load on the same deep files.
Scale with TRACEGRAPH_BENCH_BULK_SERIALS (default 10,000 finished serials). The table is printed;
nothing is asserted about time (the machine is shared), only that the load is complete."""
import os

import pytest

from graph import schema
from tracegraph.audit import service as audit
from tracegraph.bench import bulk
from tracegraph.bench.peer import Peer
from tracegraph.bench.peer import database as peer_database


@pytest.fixture(scope="module")
def row(database, neo4j_settings):
    """One bench run for the module's checks."""
    def empty():
        schema.reset(database)
        audit.retire_checkpoints(keep=False)
    serials = int(os.environ.get("TRACEGRAPH_BENCH_BULK_SERIALS", "10000"))
    try:
        yield bulk.run(neo4j_settings, database, serials, shape="deep", empty=empty)
    finally:
        schema.migrate(database)


@pytest.mark.bench
def test_bench_bulk_against_peer_load(database, row):
    assert database.read("test/event_ids") and row["events"] == len(database.read("test/event_ids"))


@pytest.mark.bench
def test_bench_bulk_drops_the_peer_database(neo4j_settings, row):
    """The bench's peer database is gone when it ends (one of 1M serials holds ~10 GB)."""
    assert not Peer(peer_database("bulk", neo4j_settings.neo4j_bolt_port)).exists()
