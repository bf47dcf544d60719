"""`make bench`: ingest with incremental rules on vs off (ratio, target >= 0.8) and a full
sweep, time per rule. Scale with TRACEGRAPH_BENCH_SERIALS (default 1,000,000)."""
import os

import pytest

from tracegraph.bench import rules


@pytest.mark.bench
def test_bench_rules(database):
    serials = int(os.environ.get("TRACEGRAPH_BENCH_SERIALS", "1000000"))
    result = rules.run(database, serials)
    assert result["on"]["events"] == result["off"]["events"] > 0
