"""`load --bulk` parses files ahead in a process pool (tracegraph/bulk/service.py `parsed`): the
documents it hands on are those the one-by-one reading makes, whatever earlier files taught,
and a bad file is named with its event and field. No database: this is the step before the import."""
import json
from pathlib import Path

import pytest

from core.settings import get_settings
from tracegraph.bulk import service
from tracegraph.bulk.errors import BulkRefused


def _document(epc: str, n: int, time: str = "2024-01-01T00:00:00.000Z") -> dict:
    return {"@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"], "type": "EPCISDocument",
            "schemaVersion": "2.0", "creationDate": "2024-01-01T00:00:00.000Z",
            "epcisBody": {"eventList": [{"type": "ObjectEvent", "eventTime": time, "eventTimeZoneOffset": "+00:00",
                                         "eventID": f"urn:uuid:00000000-0000-4000-8000-{n:012d}",
                                         "epcList": [epc], "action": "OBSERVE"}]}}


def _files(tmp: Path, docs: list[dict]) -> list[Path]:
    paths = []
    for n, doc in enumerate(docs):
        paths.append(tmp / f"part-{n:03d}.json")
        paths[-1].write_text(json.dumps(doc))
    return paths


@pytest.fixture
def pool(monkeypatch):
    monkeypatch.setattr(service, "PARSERS", 2)  # the pool even on a one-core machine


def _epcs(files: list[Path], learned: set[str]) -> list[list[str]]:
    settings = get_settings().model_copy(update={"company_prefixes": []})
    return [[o.epc for e in doc.events for o in e.objects]
            for _, doc in service.parsed(files, set(), settings, lambda: learned)]


def test_a_digital_link_converts_with_the_prefixes_earlier_files_taught(pool, tmp_path):
    files = _files(tmp_path, [_document("urn:epc:id:sgtin:0614141.020021.A1", 1),
                              _document("https://id.gs1.org/01/00614141200214/21/B1", 2)])
    assert _epcs(files, {"0614141"})[1] == ["urn:epc:id:sgtin:0614141.020021.B1"]


def test_without_those_prefixes_the_digital_link_is_kept_as_given(pool, tmp_path):
    files = _files(tmp_path, [_document("urn:epc:id:sgtin:0614141.020021.A1", 1),
                              _document("https://id.gs1.org/01/00614141200214/21/B1", 2)])
    assert _epcs(files, set())[1] == ["https://id.gs1.org/01/00614141200214/21/B1"]


def test_a_bad_file_is_named_with_its_event_and_field(pool, tmp_path):
    files = _files(tmp_path, [_document(f"urn:epc:id:sgtin:0614141.020021.A{n}", n) for n in range(4)])
    files[2].write_text(json.dumps(_document("urn:epc:id:sgtin:0614141.020021.X", 9, time="not a time")))
    with pytest.raises(BulkRefused) as refused:
        service.validate(files, get_settings(), tmp_path / "csv", echo=lambda line: None)
    assert str(refused.value).startswith("part-002.json: event 0: eventTime")
