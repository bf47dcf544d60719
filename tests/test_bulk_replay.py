"""The bulk replay's own mechanics, without a database: the CSV line neo4j-admin reads, the
collector paused only for the replay, the packing walk leaving no cyclic garbage, and the
item-history rules judged from histories handed over one at a time in any order."""
import csv
import gc
import io
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from tracegraph.bulk import service
from tracegraph.bulk import state as bulk_state
from tracegraph.bulk.graph import CsvOut
from tracegraph.rules import history

T0 = datetime(2024, 1, 1, tzinfo=UTC)

fields = st.one_of(st.none(), st.text(), st.integers(-10**15, 10**15),
                   st.floats(allow_nan=False, allow_infinity=False))


def _line(row: list, tmp_path) -> str:
    path = tmp_path / "one.csv"
    out = CsvOut(path, ["a"])
    out.writerow(row)
    out.close()
    return path.read_bytes().decode("utf-8").split("\n", 1)[1]  # no newline translation


@given(row=st.lists(fields, min_size=2, max_size=8))  # every file has an ID and a label
def test_a_csv_row_reads_back_with_none_as_the_only_bare_empty_field(tmp_path_factory, row):
    text = _line(row, tmp_path_factory.mktemp("csv"))
    read = next(csv.reader(io.StringIO(text)))
    assert read == ["" if v is None else (v if isinstance(v, str) else str(v)) for v in row]


def _bare_empties(text: str) -> list[bool]:
    """Which fields of a one-row CSV are empty with no quotes."""
    out, field, quoted, inside = [], "", False, False
    for ch in text.rstrip("\n"):
        if ch == '"':
            quoted, inside = True, not inside
        elif ch == "," and not inside:
            out.append(field == "" and not quoted)
            field, quoted = "", False
        else:
            field += ch
    out.append(field == "" and not quoted)
    return out


@given(row=st.lists(st.one_of(st.none(), st.text()), min_size=1, max_size=8))
def test_none_is_a_bare_empty_field_and_an_empty_string_is_quoted(tmp_path_factory, row):
    text = _line(row, tmp_path_factory.mktemp("csv"))
    assert _bare_empties(text) == [v is None for v in row]


@given(rows=st.lists(st.lists(st.one_of(st.text(), st.sampled_from(['"', '","', '""', ",", "\n"])),
                             min_size=1, max_size=6), max_size=5))
def test_a_row_of_strings_is_written_as_any_row_is(tmp_path_factory, rows):
    """writestrs (one join when no value holds a quote) against writerow, the general path."""
    folder = tmp_path_factory.mktemp("csv")
    texts = []
    for name, write in (("strs", CsvOut.writestrs), ("rows", CsvOut.writerow)):
        out = CsvOut(folder / f"{name}.csv", ["a"])
        for row in rows:
            write(out, row)
        out.close()
        texts.append((folder / f"{name}.csv").read_bytes())
    assert texts[0] == texts[1]


def test_rows_beyond_a_batch_are_all_written_in_order(tmp_path):
    out = CsvOut(tmp_path / "many.csv", ["n"])
    for n in range(5000):
        (out.writerow if n % 2 else out.writestrs)([str(n)])
    out.close()
    assert (tmp_path / "many.csv").read_text().split("\n") == ['"n"', *(f'"{n}"' for n in range(5000)), ""]


def test_numbers_are_written_bare_as_python_writes_them(tmp_path):
    assert _line([3, 0.1, -2.5e-07, True, "3"], tmp_path) == '3,0.1,-2.5e-07,True,"3"\n'


def test_what_the_pause_leaves_is_frozen_for_the_collector():
    before = gc.get_freeze_count()
    try:
        with service.gc_paused():
            kept = [[n] for n in range(1000)]
        assert gc.get_freeze_count() >= before + len(kept)
    finally:
        gc.unfreeze()


def test_the_packing_walk_leaves_no_cyclic_garbage():
    # with the collector paused for the replay, a reference cycle per item would never be freed
    packed = {"item": [bulk_state.Held("inner", T0, None)], "inner": [bulk_state.Held("case", T0, None)],
              "case": [bulk_state.Held("pallet", T0 + timedelta(hours=1), T0 + timedelta(hours=2))]}
    was = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        found = bulk_state.holders("item", packed)
        assert (gc.collect(), {c for c, _, _ in found}) == (0, {"inner", "case", "pallet"})
    finally:
        if was:
            gc.enable()


def _seen(epc: str, minutes: int, place: str) -> history.Sighting:
    return history.Sighting(f"{epc}-{minutes}", T0 + timedelta(minutes=minutes), "receiving", None, place,
                            "ObjectEvent", "OBSERVE", frozenset({"epc"}))


def test_histories_are_judged_one_at_a_time_and_found_in_subject_order():
    items = ["urn:c", "urn:a", "urn:b"]

    def one_pass():  # a generator: judge may not read it twice or hold it all
        for epc in items:
            yield epc, [_seen(epc, 5, "urn:site:2"), _seen(epc, 0, "urn:site:1")]
    found = history.judge(one_pass(), ["TWO_PLACES"], {"TWO_PLACES": {"max_minutes": 60}}, T0)
    assert [r["subject"] for r in found["TWO_PLACES"]] == sorted(items)
