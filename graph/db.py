"""Neo4j driver lifecycle, one-statement reads (auto-commit, retried here) and managed
transactions (retried by the driver)."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from neo4j import READ_ACCESS, WRITE_ACCESS, Driver, GraphDatabase, ManagedTransaction, Query
from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable, SessionExpired

from core import metrics
from core.settings import Settings
from graph import pool
from graph.coalesce import Coalescer
from graph.queries import query, statements

T = TypeVar("T")
RETRY_SECONDS = 30.0  # as long as the driver retries a managed transaction
IDLE_SESSIONS = 16  # idle lookup sessions kept; more are closed when given back


class Database:
    """One driver per process; every query is a named file in `cypher/`."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.name = settings.neo4j_database
        self.memo: dict[str, Any] = {}  # slow-changing reads cached by their owners; schema.reset empties it
        self._coalescers: dict[str, Coalescer] = {}
        self._coalescers_lock = threading.Lock()
        self._lock = threading.Lock()  # guards _current and every _Lease's counts and idle sessions
        self._current = _Lease(self._connect())

    @property
    def driver(self) -> Driver:
        """The current driver (a call on it from outside this class may meet a reconnect)."""
        return self._current.driver

    def _connect(self) -> Driver:
        driver = GraphDatabase.driver(
            self.settings.neo4j_uri,
            auth=(self.settings.neo4j_user, self.settings.neo4j_password),
            max_connection_pool_size=50,
            notifications_min_severity="OFF",  # e.g. "property key does not exist" on an empty graph
        )
        pool.instrument(driver)  # connection waits in /metrics
        return driver

    def reconnect(self) -> None:
        """A fresh driver, after the store was replaced (a bulk import): bookmarks of the old
        store's transactions (kept by reused sessions and execute_query) name transaction ids
        the new store may not reach, and a read waiting for them would time out. The old driver
        is closed once the calls still using it are done: closing it under them broke them."""
        self.memo.clear()  # what it remembered of the old store (its schema applied...)
        fresh = _Lease(self._connect())
        with self._lock:
            old, self._current = self._current, fresh
        self._retire(old)

    def close(self) -> None:
        with self._coalescers_lock:
            coalescers, self._coalescers = list(self._coalescers.values()), {}
        for coalescer in coalescers:
            coalescer.close()
        self._retire(self._current)

    def _retire(self, lease: _Lease) -> None:
        """Close the lease's idle sessions, and its driver now or when its last call ends."""
        with self._lock:
            lease.retired = True
            idle, lease.idle = lease.idle, []
            last = lease.calls == 0
        for session in idle:
            session.close()
        if last:
            lease.driver.close()

    def _take(self, reuse: bool = False) -> tuple[_Lease, Any]:
        """Start a call on the current driver: its lease, and an idle session of it if `reuse`."""
        with self._lock:
            lease = self._current
            lease.calls += 1
            return lease, (lease.idle.pop() if reuse and lease.idle else None)

    def _give(self, lease: _Lease, session: Any = None, keep: bool = False) -> None:
        """End a call: its session kept idle (if `keep`, the driver still current and room left)
        or closed, then the driver closed if it was retired and this was its last call."""
        with self._lock:
            lease.calls -= 1
            if keep and not lease.retired and len(lease.idle) < IDLE_SESSIONS:
                lease.idle.append(session)
                session = None
            last = lease.retired and lease.calls == 0
        try:
            if session is not None:
                session.close()
        finally:
            if last:
                lease.driver.close()

    @contextmanager
    def _driver(self) -> Iterator[Driver]:
        """The current driver, not closed by a reconnect until the block ends."""
        lease, _ = self._take()
        try:
            yield lease.driver
        finally:
            self._give(lease)

    def coalesced(self, name: str) -> Coalescer:
        """The shared batcher for the named `UNWIND $asks` lookup (see graph/coalesce.py)."""
        found = self._coalescers.get(name)
        if found is None:
            with self._coalescers_lock:
                found = self._coalescers.setdefault(
                    name, Coalescer(self, name, workers=self.settings.lookup_workers))
        return found

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def ping(self) -> bool:
        try:
            with self._driver() as driver:
                driver.verify_connectivity()
            return True
        except (ServiceUnavailable, SessionExpired, OSError):
            return False

    def read(self, name: str, **params: Any) -> list[dict]:
        """Run a named one-statement read (on a secondary when the URI is neo4j:// to a
        cluster). An auto-commit query: one round trip, where a managed transaction costs
        three (BEGIN, RUN, COMMIT); a read is safe to run again, so it is retried like the
        driver retries a managed transaction."""
        with timed(name, "read"):
            return self._autocommit(name, params, _data, RETRY_SECONDS)

    def read_primary(self, name: str, **params: Any) -> list[dict]:
        """`read` on the primary (a cluster's leader): it has every committed write, where a
        secondary may lag behind one just committed (sessions here carry no bookmarks). For
        reads that judge what was just committed (the incremental rules)."""
        with timed(name, "read"):
            return self._autocommit(name, params, _data, RETRY_SECONDS, access=WRITE_ACCESS)

    def lookup(self, name: str, **params: Any) -> list[dict]:
        """`read` for hot paths (verification, single-serial reads): rows as returned (scalars,
        lists, maps: no graph types, no data() walk), retried once at once rather than for
        seconds. (The async driver was tried for this path: slower per call than a pool thread.)"""
        def rows(result) -> list[dict]:
            keys = result.keys()
            return [dict(zip(keys, r.values())) for r in result]
        with timed(name, "lookup"):
            return self._autocommit(name, params, rows, 0.0, reuse=True)

    def _reused_run(self, name: str, params: dict, rows: Callable[[Any], T]) -> T:
        """`rows` of the query, on an idle session taken for the call (made if none is idle) and
        given back after (dropped if the call failed: its state is not known)."""
        lease, session = self._take(reuse=True)
        done = False
        try:
            if session is None:
                session = lease.driver.session(database=self.name, default_access_mode=READ_ACCESS)
            found = rows(session.run(Query(query(name)), quiet(params)))
            done = True
        finally:
            self._give(lease, session, keep=done)
        return found

    def _autocommit(self, name: str, params: dict, rows: Callable[[Any], T], retry_seconds: float,
                    reuse: bool = False, access: str = READ_ACCESS) -> T:
        """One read statement as an auto-commit query, run again on a retryable failure
        (a dropped connection, a cluster leader switch) for up to `retry_seconds` (at least once)."""
        deadline, delay = None, 0.05
        while True:
            try:
                if reuse:
                    return self._reused_run(name, params, rows)
                with self._driver() as driver, driver.session(database=self.name,
                                                              default_access_mode=access) as session:
                    return rows(session.run(Query(query(name)), quiet(params)))
            except (DriverError, Neo4jError) as exc:
                if not exc.is_retryable():
                    raise
                now = time.monotonic()
                if deadline is None:
                    deadline = now + retry_seconds
                    continue  # the first retry goes at once: usually a stale pooled connection
                if now + delay > deadline:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 2.0)

    def read_columns(self, name: str, **params: Any) -> dict:
        """`columns` as one auto-commit read (one round trip) on a reused session (trace pages:
        a one-serial trace is a hot path too), retried like `read`."""
        with timed(name, "read"):
            return self._autocommit(name, params, _single, RETRY_SECONDS, reuse=True)

    def read_tx(self, work: Callable[[ManagedTransaction], T]) -> T:
        with self._driver() as driver, driver.session(database=self.name) as session:
            return session.execute_read(work)

    def write_tx(self, work: Callable[[ManagedTransaction], T]) -> T:
        """Run `work` as one managed write transaction: all of it or none of it."""
        with self._driver() as driver, driver.session(database=self.name) as session:
            return session.execute_write(work)

    def write(self, name: str, **params: Any) -> list[dict]:
        with timed(name, "write"):
            return self.write_tx(lambda tx: [r.data() for r in tx.run(query(name), quiet(params))])

    def run_statements(self, name: str) -> int:
        """Run each statement of a multi-statement file in its own auto-commit transaction
        (schema commands cannot share a transaction with data writes)."""
        stmts = statements(name)
        with self._driver() as driver, driver.session(database=self.name) as session:
            for stmt in stmts:
                session.run(Query(stmt)).consume()
        return len(stmts)

    @contextmanager
    def session(self) -> Iterator:
        with self._driver() as driver, driver.session(database=self.name) as session:
            yield session


class _Lease:
    """A driver and the calls in flight on it; `retired` once a reconnect replaced it."""
    __slots__ = ("driver", "calls", "retired", "idle")

    def __init__(self, driver: Driver):
        self.driver, self.calls, self.retired = driver, 0, False
        # Idle read sessions for lookup(), reused: opening and closing a session per call cost
        # about a fifth of a single-serial read (driver and Neo4j CPU). One thread uses one at a time.
        self.idle: list = []


@contextmanager
def timed(name: str, mode: str) -> Iterator[None]:
    """Observe a named query's time (transaction and retries included) in /metrics."""
    started = time.perf_counter()
    try:
        yield
    finally:
        metrics.query_seconds.labels(name, mode).observe(time.perf_counter() - started)


class Batch(list):
    """A list parameter that the driver's debug line shows by its length. The driver formats
    every RUN's parameters for that line even when debug logging is off (neo4j 6.4, Bolt 5
    `run`): for the writer's batches of rows, a fifth of the loader's Python time."""
    __slots__ = ()

    def __repr__(self) -> str:
        return f"<{len(self)} values>"


def quiet(params: dict[str, Any]) -> dict[str, Any]:
    """`params` with each list as a Batch (a shallow copy: C speed, the rows are not copied)."""
    return {k: Batch(v) if type(v) is list else v for k, v in params.items()}


def run(tx: ManagedTransaction, name: str, **params: Any) -> list[dict]:
    """Run a named query inside a transaction someone else manages."""
    with timed(name, "tx"):
        return [r.data() for r in tx.run(query(name), quiet(params))]


def columns(tx: ManagedTransaction, name: str, **params: Any) -> dict:
    """The single record of a parallel-columns query (`RETURN collect(a) AS as, ...`), as is:
    Record.data() walks every list element, which cost more than the query for big scopes."""
    with timed(name, "tx"):
        return _single(tx.run(query(name), quiet(params)))


def _data(result) -> list[dict]:
    return [r.data() for r in result]


def _single(result) -> dict:
    record = result.single(strict=True)
    return dict(zip(record.keys(), record.values()))


def native(value: Any) -> Any:
    """Neo4j temporal values as Python datetimes/dates; anything else unchanged."""
    return value.to_native() if hasattr(value, "to_native") else value
