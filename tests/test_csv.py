"""CSV / tabular integrations: mapping-driven rows → canonical EPCIS events through the
same writer (atomic, idempotent, checked, audited); examples/ must load as documented."""
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from loaders.csv import mapping as mappings
from loaders.csv.mapping import InvalidMapping
from loaders.csv.reader import InvalidCsv
from tracegraph.capture.csv import load_file
from tracegraph.master import service as master
from tracegraph.quality import service as quality
from tracegraph.quality.errors import QualityRejected
from tracegraph.serials.service import get_serial

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
ORDER = ["mes_production", "qms_inspection", "wms_movements", "erp_shipments", "hospital_receipts"]
ITEM = "urn:epc:id:sgtin:0614141.020013.CSV0000001"


def example(db, name: str):
    return load_file(db, EXAMPLES / "data" / f"{name}.csv", EXAMPLES / "mappings" / f"{name}.yaml")


@pytest.fixture
def loaded(db):
    master.put(db, master.read_file(EXAMPLES / "master_data.yaml"))
    results = {name: example(db, name) for name in ORDER}
    return db, results


def stored(db, biz_step: str | None = None) -> list[dict]:
    return [e for e in db.read("test/epcis_stored_events") if biz_step is None or e["biz_step"] == biz_step]


def raw(db, event_id: str) -> dict:
    return json.loads(next(r["raw"] for r in db.read("test/epcis_raw_events") if r["event_id"] == event_id))


def test_every_example_loads(loaded):
    _, results = loaded
    assert {name: r.events_new for name, r in results.items()} == \
        {"mes_production": 6, "qms_inspection": 6, "wms_movements": 5, "erp_shipments": 1, "hospital_receipts": 2}


def test_examples_raise_no_findings(loaded):
    db, _ = loaded
    assert quality.findings(db) == []


def test_reloading_a_file_is_a_no_op(loaded):
    db, _ = loaded
    again = example(db, "mes_production")
    assert (again.events_new, again.events_skipped, again.created) == (0, 6, False)


def test_production_rows_bind_serials_to_their_lot(loaded):
    db, _ = loaded
    lots = {(s.lot.lot, s.lot.expiry) for s in (get_serial(db, ITEM[:-1] + str(n)) for n in range(1, 7))}
    assert lots == {("CSV2506A", "2030-06-02")}


def test_local_times_are_converted_with_the_mapping_time_zone(loaded):
    db, _ = loaded
    event = next(e for e in stored(db, "commissioning") if f"epc {ITEM}" in e["objects"])
    assert (event["time"].to_native().isoformat(), raw(db, event["event_id"])["eventTimeZoneOffset"]) == \
        ("2025-06-02T06:00:00+00:00", "+02:00")


def test_values_are_mapped_to_cbv_words(loaded):
    db, _ = loaded
    assert Counter(e["disposition"] for e in stored(db, "inspecting")) == {"conformant": 5, "non_conformant": 1}


def test_certificate_and_extensions_are_kept_in_the_event(loaded):
    db, _ = loaded
    event = raw(db, next(e["event_id"] for e in stored(db, "inspecting") if f"epc {ITEM}" in e["objects"]))
    assert (event["certificationInfo"], event["tg:inspector"]) == \
        ("https://qms.meridian-medsys.com/coc/CoC-2025-0601", "qa-17")


def test_rows_of_one_delivery_become_one_shipping_event_with_consignee(loaded):
    db, _ = loaded
    event = next(e for e in stored(db, "shipping") if "DLV-88001" in json.dumps(raw(db, e["event_id"])))
    assert (len(event["objects"]), [s for s in event["shipments"] if s.startswith("destination")]) == \
        (2, ["destination location urn:epc:id:sgln:7896051.00010.0",
             "destination owning_party urn:epc:id:pgln:7896051.00000"])


def test_scanned_udis_are_read(loaded):
    db, _ = loaded
    received = [e for e in stored(db, "receiving") if e["biz_location"] == "urn:epc:id:sgln:7896051.00010.0"]
    assert sorted(o for e in received for o in e["objects"]) == [f"epc {ITEM}", f"epc {ITEM[:-1]}2"]


def _write(tmp_path, text: str, name="data.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_every_bad_row_is_listed_and_nothing_is_written(db, tmp_path):
    data = _write(tmp_path, "Serial;GTIN;Batch;Line;ProducedAt;Expiry\n"
                            "A1;00614141200139;B1;L1;02.06.2025 08:00:00;02.06.2030\n"
                            "A2;00614141200139;B1;L1;2025-06-02 08:00;02.06.2030\n"
                            "A3;00614141200136;B1;L1;02.06.2025 08:00:00;02.06.2030\n"
                            "A4;00614141200139;B1;L1;02.06.2025 08:00:00;31.02.2030\n")
    with pytest.raises(InvalidCsv) as err:
        load_file(db, data, EXAMPLES / "mappings" / "mes_production.yaml")
    assert ([(e["row"], e["column"]) for e in err.value.extra["errors"]], stored(db)) == \
        ([(3, "ProducedAt"), (4, "GTIN"), (5, "Expiry")], [])


def test_missing_columns_are_named(db, tmp_path):
    data = _write(tmp_path, "Serial;GTIN\nA1;00614141200139\n")
    with pytest.raises(InvalidCsv) as err:
        load_file(db, data, EXAMPLES / "mappings" / "mes_production.yaml")
    assert err.value.extra["missing"] == ["Batch", "Expiry", "Line", "ProducedAt"]


@pytest.mark.parametrize("local, why", [("27.10.2024 02:30:00", "twice"), ("31.03.2024 02:30:00", "does not exist")])
def test_ambiguous_or_missing_local_times_are_refused(db, tmp_path, local, why):
    data = _write(tmp_path, f"Serial;GTIN;Batch;Line;ProducedAt;Expiry\nA1;00614141200139;B1;L1;{local};02.06.2030\n")
    with pytest.raises(InvalidCsv) as err:
        load_file(db, data, EXAMPLES / "mappings" / "mes_production.yaml")
    assert why in err.value.extra["errors"][0]["reason"]


def test_quality_rules_apply_to_csv(db, tmp_path):
    example(db, "mes_production")
    data = _write(tmp_path, "Serial;GTIN;Batch;Line;ProducedAt;Expiry\n"
                            "CSV0000001;00614141200139;OTHER;L1;03.06.2025 08:00:00;02.06.2030\n")
    with pytest.raises(QualityRejected) as err:
        load_file(db, data, EXAMPLES / "mappings" / "mes_production.yaml")
    assert err.value.extra["violations"][0]["rule"] == "serial_lot_binding"


def test_excel_files_load_too(db, tmp_path):
    import pandas as pd
    frame = pd.read_csv(EXAMPLES / "data" / "wms_movements.csv", dtype=str)
    frame.to_excel(tmp_path / "wms.xlsx", index=False)
    assert load_file(db, tmp_path / "wms.xlsx", EXAMPLES / "mappings" / "wms_movements.yaml").events_new == 5


@pytest.mark.parametrize("spec, field", [
    ({"name": "x", "time": "T"}, "epc"),
    ({"name": "x", "time": "T", "serial": "S"}, "gtin"),
    ({"name": "x", "time": "T", "epc": "E", "timezone": "Mars/Olympus"}, "timezone"),
    ({"name": "x", "time": {"column": "T", "value": "now"}, "epc": "E"}, "time"),
    ({"name": "x", "time": "T", "epc": "E", "extensions": {"inspector": "I"}}, "extensions"),
    ({"name": "x", "time": "T", "epc": "E", "colour": "red"}, "colour"),
])
def test_bad_mappings_name_the_field(spec, field):
    with pytest.raises(InvalidMapping) as err:
        mappings.parse(spec, "m.yaml")
    assert err.value.field == field


def _cli(db, *args):
    env = dict(os.environ, TRACEGRAPH_NEO4J_URI=db.settings.neo4j_uri,
               TRACEGRAPH_NEO4J_PASSWORD=db.settings.neo4j_password)
    return subprocess.run([sys.executable, "-c", "from tracegraph.cli import main; main()", *args],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)


def test_cli_loads_csv_with_a_mapping(db):
    out = _cli(db, "load", "--format", "csv", "--mapping", "examples/mappings/mes_production.yaml",
               "examples/data/mes_production.csv")
    assert (out.returncode, "6 new events" in out.stdout) == (0, True)


def test_cli_reports_a_bad_file_in_one_line(db, tmp_path):
    data = _write(tmp_path, "nothing,useful\n1,2\n")
    out = _cli(db, "load", "--format", "csv", "--mapping", "examples/mappings/mes_production.yaml", str(data))
    assert (out.returncode, out.stderr.count("\n"), out.stderr.startswith("error: ")) == (1, 1, True)


def test_api_upload(client):
    files = {"file": ("mes.csv", (EXAMPLES / "data" / "mes_production.csv").read_bytes(), "text/csv"),
             "mapping": ("mes.yaml", (EXAMPLES / "mappings" / "mes_production.yaml").read_bytes(), "text/yaml")}
    first = client.post("/v1/imports/csv", files=files).json()
    again = client.post("/v1/imports/csv", files=files).json()
    assert ((first["events_new"], first["noop"]), (again["events_new"], again["noop"])) == ((6, False), (0, True))


def test_api_upload_refusal_is_a_problem_listing_rows(client, tmp_path):
    bad = b"Serial;GTIN;Batch;Line;ProducedAt;Expiry\nA1;00614141200136;B1;L1;02.06.2025 08:00:00;02.06.2030\n"
    files = {"file": ("bad.csv", bad, "text/csv"),
             "mapping": ("mes.yaml", (EXAMPLES / "mappings" / "mes_production.yaml").read_bytes(), "text/yaml")}
    response = client.post("/v1/imports/csv", files=files)
    assert (response.status_code, response.json()["type"], response.json()["errors"][0]["row"]) == \
        (422, "https://tracegraph.dev/problems/invalid-csv", 2)
