"""`make bench`: `load --bulk` against the relational peer's load on the same deep files.
Scale with TRACEGRAPH_BENCH_BULK_SERIALS (default 10,000 finished serials). The table is printed;
nothing is asserted about time (the machine is shared), only that the load is complete."""
import os

import pytest

from graph import schema
from tracegraph.audit import service as audit
from tracegraph.bench import bulk


@pytest.mark.bench
def test_bench_bulk_against_peer_load(database, neo4j_settings):
    def empty():
        schema.reset(database)
        audit.retire_checkpoints(keep=False)
    serials = int(os.environ.get("TRACEGRAPH_BENCH_BULK_SERIALS", "10000"))
    try:
        row = bulk.run(neo4j_settings, database, serials, shape="deep", empty=empty)
    finally:
        schema.migrate(database)
    assert database.read("test/event_ids") and row["events"] == len(database.read("test/event_ids"))
