"""`make bench`: single-serial calls (serial, timeline, verify, backward trace) p50/p95 next to
an empty endpoint and the relational peer (prints the table). Data: TRACEGRAPH_SERIAL_BENCH_SERIALS
generated serials (default 10,000), unless the database already holds at least as many."""
import os

import pytest

from tracegraph.bench import serial


@pytest.mark.bench
def test_bench_serial(database):
    result = serial.run(database, int(os.environ.get("TRACEGRAPH_SERIAL_BENCH_SERIALS", "10000")), rounds=300)
    assert all(r["p50_ms"] > 0 for name, r in result.items() if name != "same_as_peer")
