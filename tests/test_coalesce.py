"""graph/coalesce.py: concurrent lookups answered by shared UNWIND queries."""
import asyncio
import threading

import pytest
from neo4j.exceptions import ServiceUnavailable

from graph.coalesce import Coalescer
from graph.db import Database
from tests import partners as p
from tests import scenario as s

QUERY = "verify/serials"
ASKS = [{"epc": s.D1, "party": p.DIST}, {"epc": s.D3, "party": p.DIST}, {"epc": s.D1[:-2] + "ZZ", "party": None},
        {"epc": s.D2, "party": p.HOSP}, {"epc": s.D1, "party": None}]


@pytest.fixture
def loaded(db):
    p.load(db)
    return db


def _alone(db, ask: dict) -> list[dict]:
    """The oracle: the same ask as a query of its own."""
    return [{k: v for k, v in row.items() if k != "n"} for row in db.lookup(QUERY, asks=[{**ask, "n": 0}])]


class Gate:
    """Wraps db.lookup: the first call waits until released, and every call's batch size is kept."""

    def __init__(self, db):
        self.real, self.sizes = db.lookup, []
        self.entered, self.release = threading.Event(), threading.Event()

    def __call__(self, name, **params):
        self.sizes.append(len(params["asks"]))
        if len(self.sizes) == 1:
            self.entered.set()
            self.release.wait(10)
        return self.real(name, **params)


async def _when(condition, timeout: float = 10.0) -> None:
    for _ in range(int(timeout / 0.005)):
        if condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("condition not reached")


def test_each_ask_gets_the_answer_it_would_get_alone(loaded):
    coalescer = Coalescer(loaded, QUERY)

    async def together():
        return await asyncio.gather(*(coalescer.ask(**ask) for ask in ASKS))
    try:
        assert asyncio.run(together()) == [_alone(loaded, ask) for ask in ASKS]
    finally:
        coalescer.close()


@pytest.fixture
def gated(loaded, monkeypatch):
    """One worker whose first query waits at the gate until the test releases it."""
    gate = Gate(loaded)
    monkeypatch.setattr(loaded, "lookup", gate)
    coalescer = Coalescer(loaded, QUERY, workers=1)
    yield gate, coalescer
    coalescer.close()


async def _first_in_flight(gate: Gate, coalescer: Coalescer) -> asyncio.Future:
    first = asyncio.ensure_future(coalescer.ask(**ASKS[0]))
    await asyncio.to_thread(gate.entered.wait, 10)
    return first


def test_asks_waiting_while_a_query_runs_share_the_next_query(loaded, request):
    expected = [_alone(loaded, ask) for ask in ASKS * 4]
    gate, coalescer = request.getfixturevalue("gated")

    async def burst():
        first = await _first_in_flight(gate, coalescer)
        rest = [asyncio.ensure_future(coalescer.ask(**ask)) for ask in ASKS * 4]
        await _when(lambda: coalescer._queue.qsize() == len(rest))
        gate.release.set()
        return await asyncio.gather(first, *rest)
    answers = asyncio.run(burst())
    assert (gate.sizes, answers[1:]) == ([1, len(ASKS) * 4], expected)


def test_a_caller_that_gave_up_does_not_stop_the_worker(loaded, request):
    expected = _alone(loaded, ASKS[1])
    gate, coalescer = request.getfixturevalue("gated")

    async def give_up_then_ask():
        (await _first_in_flight(gate, coalescer)).cancel()
        gate.release.set()
        return await coalescer.ask(**ASKS[1])
    assert asyncio.run(give_up_then_ask()) == expected


def test_a_failing_query_reaches_every_waiting_caller(neo4j_settings):
    unreachable = Database(neo4j_settings.model_copy(update={"neo4j_uri": "bolt://127.0.0.1:9"}))
    coalescer = Coalescer(unreachable, QUERY)

    async def together():
        return await asyncio.gather(*(coalescer.ask(**ask) for ask in ASKS), return_exceptions=True)
    try:
        assert all(isinstance(result, ServiceUnavailable) for result in asyncio.run(together()))
    finally:
        coalescer.close()
        unreachable.close()


def test_close_stops_the_workers(database):
    coalescer = Coalescer(database, QUERY, workers=3)
    coalescer.close()
    assert not any(thread.is_alive() for thread in coalescer._threads)


def test_the_database_shares_one_coalescer_per_query_and_closes_it(neo4j_settings):
    db = Database(neo4j_settings)
    shared = db.coalesced(QUERY)
    same = db.coalesced(QUERY) is shared
    db.close()
    assert (same, any(thread.is_alive() for thread in shared._threads)) == (True, False)
