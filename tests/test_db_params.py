"""Parameters of named statements: batches sent as given, shown by their length in the driver's debug line."""
import logging

from graph import db as graph_db


def test_batch_parameters_reach_neo4j_unchanged(db):
    rows = [{"n": n, "tags": ["a", None], "nested": {"x": [1.5]}} for n in range(500)]
    got = db.write_tx(lambda tx: graph_db.run(tx, "test/echo_rows", rows=rows))
    assert [r["row"] for r in got] == rows


def test_the_drivers_debug_line_does_not_spell_out_batches(db, caplog):
    """The driver formats each RUN's parameters for its debug line whatever the log level; a batch
    shows as its length there, not as its rows."""
    rows = [{"event_id": f"urn:uuid:{n:032d}"} for n in range(2000)]
    with caplog.at_level(logging.DEBUG, logger="neo4j"):
        db.write_tx(lambda tx: graph_db.run(tx, "test/echo_rows", rows=rows))
    runs = [r.getMessage() for r in caplog.records if " C: RUN " in r.getMessage()]
    assert runs and all("<2000 values>" in m and "urn:uuid:" not in m for m in runs)


def test_quiet_wraps_lists_only():
    params = graph_db.quiet({"rows": [1, 2], "name": "x", "n": 3, "m": {"a": [1]}})
    assert (type(params["rows"]), params["rows"], params["name"], params["n"], params["m"]) == \
        (graph_db.Batch, [1, 2], "x", 3, {"a": [1]})
