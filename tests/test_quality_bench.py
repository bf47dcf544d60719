"""Benchmark (make bench): what the data-quality checks cost at ingest.

The same generated documents are loaded twice into the same Neo4j in the same run:
with the checks (hooks as shipped) and with the quality hooks switched off (baseline).
Scale: TRACEGRAPH_BENCH_SERIALS (default 100000 serials)."""
import os
import time

import pytest

from graph import schema
from loaders.generator import generate
from tracegraph.capture import files as ingest
from tracegraph.quality import service as quality

SERIALS = int(os.environ.get("TRACEGRAPH_BENCH_SERIALS", "100000"))


def _load(db, files) -> tuple[int, float, float]:
    """(events, total seconds, seconds spent in the quality checks)."""
    schema.reset(db)
    spent = 0.0
    check = quality.check

    def timed(ctx):
        nonlocal spent
        started = time.perf_counter()
        try:
            return check(ctx)
        finally:
            spent += time.perf_counter() - started

    quality.check = timed
    try:
        started = time.perf_counter()
        events = sum(r.events_new for r in ingest.load_files(db, files))
        return events, time.perf_counter() - started, spent
    finally:
        quality.check = check


@pytest.mark.bench
def test_quality_check_overhead(database, tmp_path, monkeypatch):
    generate(tmp_path, serials=SERIALS, seed=7, events_per_file=5000)
    files = ingest.expand([tmp_path])
    with monkeypatch.context() as off:  # baseline first: it also warms Neo4j up for both
        off.setattr(quality, "check", lambda ctx: [])
        off.setattr(quality, "record_findings", lambda ctx: 0)
        _, baseline, _ = _load(database, files)
    events, with_checks, in_checks = _load(database, files)
    findings = len(quality.findings(database, limit=100000))
    print(f"\nquality checks at ingest: {SERIALS} serials, {events} events, {len(files)} documents")
    print(f"{'run':<24}{'seconds':>10}{'events/s':>12}")
    print(f"{'without quality checks':<24}{baseline:>10.1f}{events / baseline:>12,.0f}")
    print(f"{'with quality checks':<24}{with_checks:>10.1f}{events / with_checks:>12,.0f}")
    print(f"time inside the checks: {in_checks:.1f} s ({in_checks / with_checks:.1%} of the load); "
          f"throughput ratio with/without: {baseline / with_checks:.2f}; findings: {findings}")
    assert (events > 0, findings) == (True, 0)  # the demo data set loads cleanly
