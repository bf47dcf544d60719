"""`make bench`: GET /v1/verify requests/s and p99 vs an empty FastAPI endpoint (prints the table).
Scale with TRACEGRAPH_BENCH_SERIALS (default 1,000,000), TRACEGRAPH_BENCH_SECONDS (default 10)."""
import os

import pytest

from tracegraph.bench import verify


@pytest.mark.bench
def test_bench_verify(database):
    serials = int(os.environ.get("TRACEGRAPH_BENCH_SERIALS", "1000000"))
    seconds = float(os.environ.get("TRACEGRAPH_BENCH_SECONDS", "10"))
    result = verify.run(database, serials, seconds=seconds)
    assert result["GET /v1/verify"]["errors"] == 0
