"""`tracegraph bench serial` compares the backward trace with the relational peer, which holds
only the generated set: a graph holding other data is refused (or emptied with --reset), and
the items' state the bench's hook-less load skipped is stored before timing."""
import pytest

from core.errors import TracegraphError
from tests import scenario as s
from tracegraph.bench import serial
from tracegraph.recalls import state


def _events(db) -> int:
    return db.read("bench/events")[0]["events"]


def quiet(message: str) -> None:
    pass


def test_a_graph_holding_other_data_is_refused(scenario_api):
    db = scenario_api.app.state.db
    with pytest.raises(TracegraphError, match="--reset"):
        serial.same_data(db, _events(db) + 1, 10, reset=False, echo=quiet)


def test_reset_empties_a_graph_holding_other_data(scenario_api):
    db = scenario_api.app.state.db
    serial.same_data(db, _events(db) + 1, 10, reset=True, echo=quiet)
    assert _events(db) == 0


def test_a_graph_holding_the_generated_set_is_kept(scenario_api):
    db = scenario_api.app.state.db
    held = _events(db)
    serial.same_data(db, held, 10, reset=True, echo=quiet)
    assert _events(db) == held


def test_items_without_a_stored_state_get_one(db):
    db.write("test/item_without_events", epc=s.D1, gtin="00614141812345", serial="D1")
    serial.store_state(db, echo=quiet)
    assert state.pending(db) == []


def _recording(order: list) -> dict:
    return {kind: (lambda n, kind=kind: order.append((kind, n)) or n) for kind in ("a", "b")}


def test_measure_answers_every_round_of_every_call_once_after_untimed_warm_calls():
    times, answers = serial.measure(_recording([]), rounds=7, run=3, warm=2)
    assert (answers, [len(times[k]) for k in "ab"]) == ({"a": list(range(7)), "b": list(range(7))}, [7, 7])


def test_measure_in_runs_calls_one_kind_run_times_then_the_other():
    order: list = []
    serial.measure(_recording(order), rounds=4, run=3, warm=2)
    # warm calls ask for item 0; blocks of 3 from -2: [-2, 0], [1, 3]
    assert order == [("a", 0), ("a", 0), ("a", 0), ("b", 0), ("b", 0), ("b", 0),
                     ("a", 1), ("a", 2), ("a", 3), ("b", 1), ("b", 2), ("b", 3)]


def test_measure_mixed_alternates_the_calls():
    order: list = []
    serial.measure(_recording(order), rounds=2, warm=1)
    assert order == [("a", 0), ("b", 0), ("a", 0), ("b", 0), ("a", 1), ("b", 1)]
