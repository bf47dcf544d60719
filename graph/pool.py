"""Neo4j connection pool metrics: connections in use, idle and allowed (read at scrape time),
and how long each connection acquisition waited (a histogram).

The Python driver has no public pool statistics, so this reads its pool object
(`driver._pool`: `connections` per address, `pool_config`, `acquire`). Each access is guarded:
should a driver release rename them, the pool gauges and the wait histogram go missing from
/metrics (tests/test_observability.py notices) and queries go on unaffected.
"""
from __future__ import annotations

import functools
import logging
import time

from prometheus_client import Histogram
from prometheus_client.core import GaugeMetricFamily

log = logging.getLogger(__name__)
# An idle pooled connection is handed out in microseconds; seconds mean the pool is exhausted
# (every connection lent out) and callers queue for one.
acquire_seconds = Histogram("tracegraph_neo4j_pool_acquire_seconds",
                            "Time to get a connection from the Neo4j pool (waits for a free one included)",
                            buckets=(0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 60))


def instrument(driver) -> bool:
    """Time every connection acquisition of this driver's pool; False when it cannot."""
    pool = getattr(driver, "_pool", None)
    acquire = getattr(pool, "acquire", None)
    if acquire is None or getattr(acquire, "_tracegraph_timed", False):
        return acquire is not None

    @functools.wraps(acquire)
    def timed_acquire(*args, **kwargs):
        started = time.perf_counter()
        try:
            return acquire(*args, **kwargs)
        finally:
            acquire_seconds.observe(time.perf_counter() - started)
    timed_acquire._tracegraph_timed = True
    pool.acquire = timed_acquire
    return True


def _counts(driver) -> list[tuple[str, int, int]]:
    """(address, in use, idle) per server address the pool has connections to."""
    pool = driver._pool
    with pool.lock:  # the pool's own lock: its threads change these lists
        snapshot = [(str(address), list(conns)) for address, conns in pool.connections.items()]
    return [(address, sum(c.in_use for c in conns), sum(not c.in_use for c in conns)) for address, conns in snapshot]


class PoolCollector:
    """A prometheus_client collector for one driver's pool (this process only)."""

    def __init__(self, driver):
        self.driver = driver

    def collect(self):
        in_use = GaugeMetricFamily("tracegraph_neo4j_pool_connections_in_use",
                                   "Neo4j connections lent out to sessions, by server (this process)",
                                   labels=["address"])
        idle = GaugeMetricFamily("tracegraph_neo4j_pool_connections_idle",
                                 "Neo4j connections open and free, by server (this process)", labels=["address"])
        try:
            counts = _counts(self.driver)
            size = self.driver._pool.pool_config.max_connection_pool_size
        except (AttributeError, TypeError) as exc:  # a driver without these internals: no pool gauges
            log.debug("no Neo4j pool statistics: %s", exc)
            return
        for address, used, free in counts:
            in_use.add_metric([address], used)
            idle.add_metric([address], free)
        yield in_use
        yield idle
        yield GaugeMetricFamily("tracegraph_neo4j_pool_max_connections",
                                "Connections the pool may open per server (this process)", value=size)
