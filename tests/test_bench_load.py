"""`make bench`: the bounded load test (issue 18): locust drives a capture / verify / timeline /
trace / recall-scope mix against two API processes and a `tracegraph worker` for a fixed time,
and prints requests/s, p50 and p99 per operation. Any 5xx, transport error or capture job not
written fails it. Length and users: TRACEGRAPH_LOAD_SECONDS (default 60), TRACEGRAPH_LOAD_USERS (8)."""
import os

import pytest

from tracegraph.bench import load


@pytest.mark.bench
def test_bench_load_serves_the_mix_without_server_errors(db):
    if not load.locust_installed():  # never imported here: locust monkey-patches the process (gevent)
        pytest.fail("locust is missing: `make bench` installs it (pip install -e '.[bench]')")
    result = load.run(db, serials=int(os.environ.get("TRACEGRAPH_LOAD_SERIALS", "2000")),
                      users=int(os.environ.get("TRACEGRAPH_LOAD_USERS", "8")),
                      seconds=float(os.environ.get("TRACEGRAPH_LOAD_SECONDS", "60")))
    assert {op for op, r in result["stats"].items() if r["requests"]} >= set(load.OPERATIONS)
