"""`make bench`: trace, recall scope and genealogy through the API against the relational
peer (../shared/peers/pg_peer.py), side by side (prints the table). Scale with
TRACEGRAPH_BENCH_SERIALS (default 100,000 finished serials); shape with
TRACEGRAPH_BENCH_SHAPE (default deep: genealogy 6 levels, 3 packing levels)."""
import os

import pytest

from tracegraph.bench import scope


@pytest.mark.bench
def test_bench_scope_same_answers_as_the_peer(database):
    serials = int(os.environ.get("TRACEGRAPH_BENCH_SERIALS", "100000"))
    repeats = int(os.environ.get("TRACEGRAPH_BENCH_REPEATS", "5"))
    rows = scope.run(database, serials, repeats=repeats, shape=os.environ.get("TRACEGRAPH_BENCH_SHAPE", "deep"))
    assert all(r["same"] for r in rows), [(r["lot"], r["checks"]) for r in rows if not r["same"]]
