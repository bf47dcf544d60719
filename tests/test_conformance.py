"""EPCIS 2.0 conformance: every OpenEPCIS capture document loads (JSON and XML), twins store the
same events, every invalid document is refused with its reason, error declarations take effect
in traces, user extensions are kept."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.schema import reset as schema_reset
from loaders.epcis import schema
from loaders.epcis.document import LoadError, parse_document, read_file
from tests import scenario as s
from tests.conformance import conformance_path
from tests.epcis import document
from tracegraph.capture.writer import write_document
from tracegraph.trace.service import trace

BASE = conformance_path("epcis-openepcis")
JSON_DOCS = sorted((BASE / "JSON" / "Capture" / "Documents").glob("*.json"))
XML_DOCS = sorted((BASE / "XML" / "Capture" / "Documents").glob("*.xml"))
JSON_INVALID = sorted((BASE / "JSON" / "Capture" / "Invalid").glob("*.json"))
XML_INVALID = sorted((BASE / "XML" / "Capture" / "Invalid").glob("*.xml"))
TWINS = [(p, BASE / "XML" / "Capture" / "Documents" / f"{p.stem}.xml") for p in JSON_DOCS
         if (BASE / "XML" / "Capture" / "Documents" / f"{p.stem}.xml").exists()]

# file -> (event index or None, field, words in the reason)
INVALID = {
    "Combination_of_events_with_missing_mandatory_fields.json": (0, "action", "required"),
    "Combination_of_multiple_invalid_fields.json": (4, "eventTime", "datetime"),
    "Combination_of_non_standard_bizStep_and_disposition.json": (0, "bizStep", "transforming"),
    "EPCISDocument_without_context.json": (None, "$", "@context"),
    "ObjectEvent_with_ilmd_field_without_namespace.json": (0, "ilmd", "materialType"),
    "ObjectEvent_with_invalid_action.json": (0, "action", "'ADD', 'OBSERVE' or 'DELETE'"),
    "ObjectEvent_with_invalid_certificationInfo.json": (0, "certificationInfo", "matches none"),
    "ObjectEvent_with_invalid_eventTime_format.json": (0, "eventTime", "datetime"),
    "ObjectEvent_with_non_standard_bizStep.json": (0, "bizStep", "transforming"),
    "ObjectEvent_with_non_standard_bizStep_in_second_event.json": (1, "bizStep", "transforming"),
    "ObjectEvent_with_non_standard_disposition.json": (0, "disposition", "in_transport"),
    "ObjectEvent_with_quantity_as_text.json": (0, "quantityList[0].quantity", "number"),
    "ObjectEvent_with_unknown_field_in_quantityList.json": (0, "quantityList[0]", "'weight' was unexpected"),
    "ObjectEvent_without_action_and_eventTime.json": (0, "eventTime", "required"),
    "ObjectEvent_without_identifier_list.json": (0, "epcList", "epcList or a quantityList"),
    "ObjectEvent_bare_event_without_action.xml": (0, "action", "required"),
    "ObjectEvent_with_invalid_action.xml": (0, "action", "not 'CREATE'"),
    "ObjectEvent_with_invalid_eventTime_format.xml": (0, "eventTime", "xsd:dateTime"),
    "ObjectEvent_with_near_miss_action.xml": (0, "action", "not 'OBSERV'"),
    "ObjectEvent_with_unknown_element.xml": (0, "madeUpField", "not an element"),
    "ObjectEvent_without_eventTime.xml": (0, "eventTime", "required"),
    # only with TRACEGRAPH_XML_STRICT_ORDER=true (JumbledFieldsOrder.xml, a valid document, breaks the order)
    "ObjectEvent_with_wrong_element_order.xml": (0, "action", "element order"),
}
ONLY_STRICT = {"ObjectEvent_with_wrong_element_order.xml"}


def _ids(paths):
    return [p.name for p in paths]


def _stored(db) -> list[dict]:
    return db.read("test/epcis_stored_events")


@pytest.fixture
def strict_order(monkeypatch):
    from core.settings import get_settings
    monkeypatch.setattr(get_settings(), "xml_strict_order", True)


def test_every_document_loads_into_neo4j(db):
    for path in JSON_DOCS + XML_DOCS:
        result = write_document(db, read_file(path))
        assert result.events_new + result.events_skipped > 0, path.name
    assert len({r["event_id"] for r in _stored(db)}) >= len(JSON_DOCS)


@pytest.mark.parametrize("json_path, xml_path", TWINS, ids=[p.stem for p, _ in TWINS])
def test_xml_and_json_twins_store_the_same_events(db, json_path: Path, xml_path: Path):
    # Digital Links need the company prefix length: both read with every prefix either one teaches
    prefixes = read_file(json_path).prefixes | read_file(xml_path).prefixes
    write_document(db, read_file(json_path, prefixes))
    from_json = _stored(db)
    schema_reset(db)
    write_document(db, read_file(xml_path, prefixes))
    assert _stored(db) == from_json


@pytest.mark.parametrize("path", JSON_INVALID + XML_INVALID, ids=_ids(JSON_INVALID + XML_INVALID))
def test_invalid_document_is_refused_with_its_reason(path: Path, request):
    if path.name in ONLY_STRICT:
        request.getfixturevalue("strict_order")
    index, field, words = INVALID[path.name]
    with pytest.raises(LoadError) as err:
        read_file(path)
    assert (err.value.index, err.value.field, words in err.value.reason) == (index, field, True)


def test_every_invalid_file_has_an_expectation():
    assert set(_ids(JSON_INVALID + XML_INVALID)) == set(INVALID)


def test_wrong_element_order_passes_without_strict_order():
    """The two OpenEPCIS sets contradict each other on XML element order; the default follows the
    valid set (JumbledFieldsOrder.xml must load)."""
    assert len(read_file(BASE / "XML" / "Capture" / "Invalid" / "ObjectEvent_with_wrong_element_order.xml").events) == 1


@pytest.mark.parametrize("definition", [r[0] for r in schema.RELAXATIONS])
def test_each_schema_relaxation_is_needed_by_a_valid_document(definition):
    import jsonschema_rs
    strict = jsonschema_rs.validator_for(json.loads(schema.schema_path().read_text()), validate_formats=True)
    needs = {"measurementType": "SensorData_with_combined_events.json",
             "sensorReport": "SensorData_with_combined_events.xml"}
    path = next(p for p in JSON_DOCS + XML_DOCS if p.name == needs[definition])
    from loaders.epcis.document import _unique_lists, decode
    data = _unique_lists(decode(path.read_bytes(), path.name))
    assert any(definition in "/".join(map(str, e.schema_path)) or
               ("type" in e.message and definition == "sensorReport")
               for e in strict.iter_errors(data))


def test_user_extensions_are_kept(db):
    path = next(p for p in JSON_DOCS if p.name == "ObjectEvent_with_userExtensions.json")
    original = json.loads(path.read_text())["epcisBody"]["eventList"]
    write_document(db, read_file(path))
    stored = [json.loads(r["raw"]) for r in db.read("test/epcis_raw_events")]
    assert sorted(map(json.dumps, stored)) == sorted(map(json.dumps, original))


def test_quantity_event_is_read_as_an_object_event():
    events = [{"type": "QuantityEvent", "eventTime": "2025-01-01T00:00:00Z", "eventTimeZoneOffset": "+00:00",
               "epcClass": "urn:epc:class:lgtin:0614141.712345.A", "quantity": 5}]
    event = parse_document(document(events), "q", validate_schema=False).events[0]
    assert (event.type, event.action, [(c.epc, c.quantity) for c in event.classes]) == \
        ("ObjectEvent", "OBSERVE", [("urn:epc:class:lgtin:0614141.712345.A", 5)])


def _declare(event: dict) -> dict:
    return {**event, "errorDeclaration": {"declarationTime": "2025-02-01T00:00:00Z", "reason": "incorrect_data"}}


def _timeline(db, epc: str) -> list[str]:
    rows = db.read("trace/observations", epcs=[epc], with_events=True, as_of=None, with_shipments=False)
    return [e["event_id"] for e in rows[0]["events"]]


def test_declared_event_leaves_the_item_timeline(db):
    events = s.events()
    write_document(db, parse_document(document(events), "history"))
    inspection = next(e for e in events if e.get("bizStep") == "inspecting")
    assert inspection["eventID"] in _timeline(db, s.D3)
    write_document(db, parse_document(document([_declare(inspection)]), "declaration"))
    assert inspection["eventID"] not in _timeline(db, s.D3)


def test_declared_packing_no_longer_carries_the_items(db):
    events = s.events()
    pack_case = next(e for e in events if e["type"] == "AggregationEvent" and e["parentID"] == s.CASE
                     and e["action"] == "ADD")
    write_document(db, parse_document(document(events), "history"))
    assert s.CASE in db.read("test/epcis_containers_of", epc=s.D1)[0]["containers"]
    result = write_document(db, parse_document(document([_declare(pack_case)]), "declaration"))
    assert (result.events_declared,
            s.CASE in db.read("test/epcis_containers_of", epc=s.D1)[0]["containers"]) == (1, False)


def test_declared_transformation_leaves_the_genealogy(db):
    events = s.events()
    write_document(db, parse_document(document(events), "history"))
    making_d3 = next(e for e in events if e["type"] == "TransformationEvent" and s.D3 in e.get("outputEPCList", []))
    assert s.C in trace(db, s.D3, "backward").lots
    write_document(db, parse_document(document([_declare(making_d3)]), "declaration"))
    assert s.C not in trace(db, s.D3, "backward").lots


def test_resending_a_declaration_is_a_noop(db):
    events = s.events()
    write_document(db, parse_document(document(events), "history"))
    declaration = parse_document(document([_declare(events[8])]), "declaration")
    first = write_document(db, declaration)
    second = write_document(db, declaration)
    assert (first.events_declared, second.events_declared, second.noop) == (1, 0, True)
