"""graph/db.py: Database.reconnect() while other threads are in the middle of calls.

A reconnect (after a bulk import replaced the store) must not close a driver a call is still
using: every call in flight finishes, and each retired driver is closed once its last call is done."""
import asyncio
import sys
import threading
import traceback
from pathlib import Path

import pytest

from graph import db as graph_db
from graph.db import Database
from tests import partners as p
from tests import scenario as s

QUERY = "verify/serials"
ASKS = [{"epc": s.D1, "party": p.DIST, "n": 0}, {"epc": s.D2, "party": p.HOSP, "n": 1},
        {"epc": s.D3, "party": None, "n": 2}]
ROUNDS = 150  # reconnects; the old code failed on the first one (the transaction thread)
CALLS = 4  # calls of each stress thread per round, the first as the reconnect starts
WAIT = 60  # seconds a barrier waits: not a timing check, a way out of a call stuck on a closed socket


class Counted(Database):
    """A Database that keeps every driver it makes."""

    def __init__(self, settings):
        self.made: list = []
        super().__init__(settings)

    def _connect(self):
        driver = super()._connect()
        self.made.append(driver)
        return driver


def _sorted(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda row: (row["n"], repr(sorted(row.items()))))


@pytest.fixture
def own(db):
    p.load(db)
    own = Counted(db.settings)
    yield own
    own.close()


def test_calls_in_flight_survive_reconnects_and_old_drivers_end_closed(own):
    expected = _sorted(own.lookup(QUERY, asks=ASKS))
    assert expected  # the scenario's serials are there: the comparisons below compare something
    alone = {ask["n"]: [row for row in expected if row["n"] == ask["n"]] for ask in ASKS}
    errors: list[str] = []
    calls = {"lookup": 0, "read": 0, "coalesced": 0, "transaction": 0}

    def check(kind: str, rows: list[dict], want: list[dict]) -> None:
        if rows != want:
            errors.append(f"{kind}: {rows!r} != {want!r}")
        calls[kind] += 1

    async def coalesced() -> None:
        answers = await asyncio.gather(*(own.coalesced(QUERY).ask(**{k: v for k, v in ask.items() if k != "n"})
                                         for ask in ASKS))
        for ask, rows in zip(ASKS, answers):
            check("coalesced", [{**row, "n": ask["n"]} for row in rows], alone[ask["n"]])

    stress = {
        "lookup": lambda: check("lookup", _sorted(own.lookup(QUERY, asks=ASKS)), expected),
        "read": lambda: check("read", _sorted(own.read(QUERY, asks=ASKS)), expected),
        "coalesced": lambda: asyncio.run(coalesced()),
    }
    # Every thread meets the main one at `rounds` before each reconnect; the transaction thread
    # meets it again at `inside` with a transaction open (one query run, one to come) on each side of it.
    rounds = threading.Barrier(len(stress) + 2, timeout=WAIT)
    inside = threading.Barrier(2, timeout=WAIT)

    def looping(kind: str, call, times: int = CALLS) -> None:
        try:
            # as many rounds as the main thread's, then the last meeting: a stop flag read after a
            # barrier was a race (a thread late past the last round's barrier saw the stop and left
            # without meeting the others, who then waited out the barrier on a busy machine)
            for _ in range(ROUNDS):
                rounds.wait()
                for _ in range(times):
                    call()
            rounds.wait()
        except threading.BrokenBarrierError:
            pass
        except BaseException as exc:  # noqa: BLE001 - any failure of a call is the finding
            errors.append(f"{kind}: {exc!r}")
            rounds.abort()
            inside.abort()

    def in_transaction() -> None:
        met = False

        def work(tx):
            nonlocal met
            first = graph_db.run(tx, QUERY, asks=ASKS)
            if not met:  # a retry of the transaction by the driver does not meet the main thread again
                met = True
                inside.wait()  # the main thread reconnects now
                inside.wait()
            return _sorted(first), _sorted(graph_db.run(tx, QUERY, asks=ASKS))

        def round_() -> None:
            nonlocal met
            met = False
            first, second = own.read_tx(work)
            check("transaction", first, expected)
            check("transaction", second, expected)
            if not met:
                inside.wait()
                inside.wait()
        looping("transaction", round_, times=1)

    threads = [threading.Thread(target=looping, args=(kind, call), name=kind, daemon=True)
               for kind, call in stress.items()]
    threads.append(threading.Thread(target=in_transaction, name="transaction", daemon=True))
    for thread in threads:
        thread.start()
    try:
        for _ in range(ROUNDS):
            rounds.wait()
            inside.wait()
            own.reconnect()
            inside.wait()
        rounds.wait()
    except threading.BrokenBarrierError:
        errors.append("a thread failed or is stuck in a call")  # a failure is in `errors` too
    finally:
        rounds.abort()
        inside.abort()
        for thread in threads:
            thread.join(timeout=WAIT)
    stuck = [f"{thread.name} stuck in {_where(thread)}" for thread in threads if thread.is_alive()]
    assert errors + stuck == [], "\n".join(errors + stuck)
    assert calls == {"lookup": ROUNDS * CALLS, "read": ROUNDS * CALLS,
                     "coalesced": ROUNDS * CALLS * len(ASKS), "transaction": ROUNDS * 2}
    assert len(own.made) == ROUNDS + 1
    retired, current = own.made[:-1], own.made[-1]
    assert [d for d in retired if not d._closed or _connections(d)] == []
    assert not current._closed
    own.close()
    assert current._closed and _connections(current) == 0


def _where(thread: threading.Thread) -> str:
    """The innermost frames of a thread still running, to say which call never returned."""
    frames = traceback.extract_stack(sys._current_frames()[thread.ident])
    return " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames[-8:]))


def _connections(driver) -> int:
    """Connections a driver's pool still holds (the driver has no public count)."""
    pool = driver._pool
    with pool.lock:
        return sum(len(conns) for conns in pool.connections.values())
