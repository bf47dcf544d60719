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
