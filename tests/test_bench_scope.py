"""`make bench`: recall scope latency against PostgreSQL and networkx (prints the table).
Scale with TRACEGRAPH_BENCH_SERIALS (default 100,000 finished serials); data shape with
TRACEGRAPH_BENCH_SHAPE (default deep: genealogy 6 levels, 3 packing levels)."""
import os

import pytest

from tracegraph.bench import scope


@pytest.mark.bench
def test_bench_scope_same_answers(database):
    serials = int(os.environ.get("TRACEGRAPH_BENCH_SERIALS", "100000"))
    repeats = int(os.environ.get("TRACEGRAPH_BENCH_REPEATS", "20"))
    rows = scope.run(database, serials, repeats=repeats, shape=os.environ.get("TRACEGRAPH_BENCH_SHAPE", "deep"))
    assert all(r["same"] for r in rows), [r for r in rows if not r["same"]]
