"""EPCIS ingest against the real Neo4j: round trip, idempotency, all-or-nothing."""
import pytest

from loaders.epcis.document import LoadError, parse_document, read_file
from loaders.epcis.normalize import idpat_gtin
from tests import scenario as s
from tests.epcis import document, write
from tracegraph.capture import files as ingest
from tracegraph.capture.writer import write_document


def counts(db) -> dict:
    return db.read("reports/counts")[0]


def test_round_trip_stores_every_event(db):
    write_document(db, parse_document(document(s.events()), "scenario"))
    assert db.read("reports/counts")[0]["nodes"] > 0
    stored = {r["event_id"] for r in db.read("test/event_ids")}
    assert stored == {e["eventID"] for e in s.events()}


def test_reloading_the_same_document_changes_nothing(db, tmp_path):
    path = write(tmp_path / "a.json", s.events())
    first = ingest.load_files(db, [path])[0]
    before = counts(db)
    second = ingest.load_files(db, [path])[0]
    assert (first.events_new, second.events_new, second.events_skipped, counts(db)) == \
        (len(s.events()), 0, len(s.events()), before)


def test_events_resent_in_another_document_are_skipped(db):
    events = s.events()
    write_document(db, parse_document(document(events[:5]), "one"))
    result = write_document(db, parse_document(document(events), "two"))
    assert (result.events_new, result.events_skipped) == (len(events) - 5, 5)


def test_bad_event_names_file_index_and_field(tmp_path):
    events = s.events()
    events[3]["eventTime"] = "yesterday"
    path = write(tmp_path / "bad.json", events)
    with pytest.raises(LoadError) as err:
        read_file(path)
    assert (err.value.source, err.value.index, err.value.field) == (str(path), 3, "eventTime")


def test_rejected_document_writes_nothing(db, tmp_path):
    events = s.events()
    events[-1]["epcList"] = ["urn:epc:id:sgtin:0614141.812345"]  # no serial part
    path = write(tmp_path / "bad.json", events)
    with pytest.raises(LoadError):
        ingest.load_files(db, [path])
    assert counts(db) == {"nodes": 0, "relationships": 0}


def test_failure_inside_the_write_rolls_back_the_whole_document(db, monkeypatch):
    """A database error mid-document (after some batches ran) leaves nothing behind."""
    from tracegraph.capture import writer
    original = writer.run

    def failing(tx, name, **params):
        if name == "ingest/pack":
            raise RuntimeError("simulated failure after events were written")
        return original(tx, name, **params)

    monkeypatch.setattr(writer, "run", failing)
    with pytest.raises(RuntimeError):
        write_document(db, parse_document(document(s.events()), "scenario"))
    assert counts(db) == {"nodes": 0, "relationships": 0}


@pytest.mark.parametrize("mutation, field", [
    (lambda e: e.pop("action"), "action"),
    (lambda e: e.update(action="MOVE"), "action"),
    (lambda e: e.update(eventTimeZoneOffset="CET"), "eventTimeZoneOffset"),
    (lambda e: e.update(type="TeleportEvent"), "type"),
    (lambda e: e.update(epcList=["not-an-epc"]), "epcList[0]"),
    (lambda e: e.update(bizLocation={"id": "urn:epc:id:sgtin:0614141.812345.1"}), "bizLocation.id"),
])
def test_invalid_fields_are_named(mutation, field):
    events = s.events()
    mutation(events[8])  # the ObjectEvent OBSERVE of D3
    with pytest.raises(LoadError) as err:
        parse_document(document(events), "doc")
    assert (err.value.index, err.value.field) == (8, field)


def test_document_level_errors():
    with pytest.raises(LoadError) as err:
        parse_document({"type": "EPCISDocument", "schemaVersion": "2.0",
                        "creationDate": "2025-01-01T00:00:00Z"}, "doc")
    assert err.value.field == "epcisBody.eventList"


def test_not_json_is_refused(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{not json")
    with pytest.raises(LoadError, match="not valid JSON"):
        read_file(path)


def test_master_data_from_the_header_is_stored(db):
    master = [
        {"type": "urn:epcglobal:epcis:vtype:Party", "vocabularyElementList": [
            {"id": "urn:epc:id:pgln:0614141.00001", "attributes": [
                {"id": "urn:epcglobal:cbv:mda#name", "attribute": "Acme Medical"},
                {"id": "https://tracegraph.dev/mda#role", "attribute": "manufacturer"}]}]},
        {"type": "urn:epcglobal:epcis:vtype:BusinessLocation", "vocabularyElementList": [
            {"id": s.SITE[2], "attributes": [
                {"id": "urn:epcglobal:cbv:mda#name", "attribute": "Acme Plant"},
                {"id": "https://tracegraph.dev/mda#siteType", "attribute": "factory"},
                {"id": "https://tracegraph.dev/mda#owner", "attribute": "urn:epc:id:pgln:0614141.00001"}]}]},
        {"type": "urn:epcglobal:epcis:vtype:EPCClass", "vocabularyElementList": [
            {"id": "urn:epc:idpat:sgtin:0614141.812345.*", "attributes": [
                {"id": "urn:epcglobal:cbv:mda#name", "attribute": "Infusion pump"},
                {"id": "https://tracegraph.dev/mda#kind", "attribute": "finished_good"}]}]},
    ]
    write_document(db, parse_document(document(s.events(), master), "md"))
    row = db.read("test/master_data", site=s.SITE[2], gtin=idpat_gtin("urn:epc:idpat:sgtin:0614141.812345.*"))[0]
    assert row == {"site": "Acme Plant", "site_type": "factory", "owner": "Acme Medical",
                   "product": "Infusion pump", "kind": "finished_good"}


def test_cli_load_reports_and_is_idempotent(db, tmp_path, cli):
    path = write(tmp_path / "a.json", s.events())
    first = cli("load", str(path))
    second = cli("load", str(path))
    assert (first.exit_code, second.exit_code, "0 new events" in second.stdout) == (0, 0, True)


def test_cli_load_error_is_one_line_and_non_zero(tmp_path, neo4j_settings):
    import os
    import subprocess
    import sys
    events = s.events()
    events[2]["eventTime"] = "soon"
    path = write(tmp_path / "bad.json", events)
    env = dict(os.environ, TRACEGRAPH_NEO4J_URI=neo4j_settings.neo4j_uri,
               TRACEGRAPH_NEO4J_PASSWORD=neo4j_settings.neo4j_password)
    done = subprocess.run([sys.executable, "-c", "from tracegraph.cli import main; main()", "load", str(path)],
                          capture_output=True, text=True, env=env)
    assert (done.returncode, done.stderr.strip().count("\n"), f"{path}: event 2: eventTime" in done.stderr) == \
        (1, 0, True)


def test_xml_files_load_through_the_same_pipeline(db, tmp_path):
    from tests.conformance import conformance_path
    source = conformance_path("epcis-openepcis", "XML", "Capture", "Documents", "ObjectEvent.xml")
    path = tmp_path / "ObjectEvent.xml"
    path.write_bytes(source.read_bytes())
    assert [r.events_new for r in ingest.load_files(db, ingest.expand([tmp_path]))] == [2]


def test_schema_violation_names_event_and_field():
    events = s.events()
    events[2]["bizStep"] = "teleporting"  # neither a CBV word nor a URI
    with pytest.raises(LoadError) as err:
        parse_document(document(events), "doc")
    assert (err.value.index, err.value.field, "JSON Schema" in err.value.reason) == (2, "bizStep", True)


@pytest.mark.bench
def test_ingest_benchmark(database):
    """`make bench`: tracegraph against the raw UNWIND ... CREATE baseline, same events, same Neo4j.
    TRACEGRAPH_BENCH_EVENTS sets the scales (default 100000,1000000)."""
    from tracegraph.bench import ingest as bench
    rows = [bench.measure(database, n) for n in bench.scales()]
    print("\n" + bench.table(rows))
    assert all(r["tracegraph_events"] == r["graph_events"] == r["events"] for r in rows)
