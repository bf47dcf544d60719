"""The streaming load: documents in order, refused ones reported in place, the collector paused."""
import gc

import pytest

from tests import scenario as s
from tests.epcis import write
from tracegraph.bulk import service as bulk_service
from tracegraph.capture import files as ingest


def test_a_refused_file_among_good_ones_is_reported_in_order_and_the_rest_load(db, tmp_path):
    events = s.events()
    good = write(tmp_path / "1.json", events[:4])
    bad_events = [dict(e) for e in events[4:6]]
    bad_events[1]["eventTime"] = "yesterday"
    bad = write(tmp_path / "2.json", bad_events)
    last = write(tmp_path / "3.json", events[4:])
    seen = []
    results = ingest.load_files(db, [good, bad, last], on_result=lambda r: seen.append(r.source),
                                on_error=lambda path, exc: seen.append((path.name, exc.index, exc.field)))
    assert seen == [str(good), ("2.json", 1, "eventTime"), str(last)]
    assert [r.events_new for r in results] == [4, len(events) - 4]


@pytest.mark.parametrize("pause", [ingest.collector_paused, bulk_service.gc_paused], ids=["load", "bulk"])
@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_only_inside_and_restored_after_a_failure(pause, enabled):
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with pytest.raises(RuntimeError), pause():
            inside = gc.isenabled()
            raise RuntimeError("refused")
        assert (inside, gc.isenabled()) == (False, enabled)
    finally:
        (gc.enable if was else gc.disable)()


def test_a_load_leaves_the_collector_on(db, tmp_path):
    assert gc.isenabled()
    ingest.load_files(db, [write(tmp_path / "a.json", s.events())])
    assert gc.isenabled()


def test_the_young_generations_are_collected_after_each_written_document(db, tmp_path, monkeypatch):
    # the collector is paused for the load; the driver's results are in reference cycles
    events = s.events()
    paths = [write(tmp_path / "1.json", events[:4]), write(tmp_path / "2.json", events[4:])]
    collected = []
    monkeypatch.setattr(ingest.gc, "collect", lambda generation=2: collected.append((generation, gc.isenabled())))
    ingest.load_files(db, paths)
    assert collected == [(1, False), (1, False)]
