"""EPCIS 2.0 XML query documents from the JSON-LD query document (for `Accept: application/xml`).

The mirror of loaders/epcis/xml.py's reader: standard fields become the XSD's elements in
its order, sensor metadata and reports attributes, user extensions elements in their
namespaces (from the document's @context; an unmapped prefix gets a tracegraph namespace).
tests/test_epcis_queries.py reads the output back with that reader.
"""
from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element, SubElement, register_namespace, tostring

from tracegraph.epcis_query import facets

QUERY_NS = "urn:epcglobal:epcis-query:xsd:2"
UNKNOWN_NS = "https://tracegraph.dev/ns/unmapped/"
ORDER = ("eventTime", "recordTime", "eventTimeZoneOffset", "eventID", "errorDeclaration", "certificationInfo",
         "parentID", "epcList", "childEPCs", "inputEPCList", "outputEPCList", "transformationID", "action",
         "bizStep", "disposition", "persistentDisposition", "readPoint", "bizLocation", "bizTransactionList",
         "quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList", "sourceList",
         "destinationList", "sensorElementList", "ilmd")
EPC_LISTS = {"epcList": "epc", "childEPCs": "epc", "inputEPCList": "epc", "outputEPCList": "epc"}
QUANTITY_LISTS = ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")
PAIRS = {"bizTransactionList": "bizTransaction", "sourceList": "source", "destinationList": "destination"}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return facets.num_text(value) if value.is_integer() else repr(value)
    return str(value)


class Writer:
    def __init__(self, namespaces: dict[str, str]):
        self.namespaces = dict(namespaces)

    def qname(self, key: str) -> str:
        prefix, colon, local = key.partition(":")
        if not colon:
            return key
        ns = self.namespaces.get(prefix)
        if ns is None:
            ns = self.namespaces[prefix] = UNKNOWN_NS + prefix + "/"
        return f"{{{ns}}}{local}"

    def extension(self, parent: Element, key: str, value: Any) -> None:
        if key.startswith("@"):
            return
        for item in value if isinstance(value, list) else [value]:
            el = SubElement(parent, self.qname(key))
            if isinstance(item, dict):
                for k, v in item.items():
                    if k == "#text":
                        el.text = _text(v)
                    else:
                        self.extension(el, k, v)
            elif isinstance(item, list):
                for v in item:
                    self.extension(el, key, v)
            elif item is not None:
                el.text = _text(item)

    def event(self, parent: Element, event: dict) -> None:
        el = SubElement(parent, event.get("type", "ObjectEvent"))
        for key in ORDER:
            if key in event:
                self.field(el, key, event[key])
        for key, value in event.items():
            if key not in ORDER and key not in ("type", "@context", "@type"):
                self.extension(el, key, value)

    def field(self, el: Element, key: str, value: Any) -> None:
        if key in EPC_LISTS:
            box = SubElement(el, key)
            for v in value:
                SubElement(box, EPC_LISTS[key]).text = v
        elif key in QUANTITY_LISTS:
            box = SubElement(el, key)
            for q in value:
                item = SubElement(box, "quantityElement")
                for k in ("epcClass", "quantity", "uom"):
                    if k in q:
                        SubElement(item, k).text = _text(q[k])
        elif key in PAIRS:
            box = SubElement(el, key)
            for p in value:
                item = SubElement(box, PAIRS[key])
                if p.get("type"):
                    item.set("type", p["type"])
                item.text = p.get(PAIRS[key])
        elif key in ("readPoint", "bizLocation"):
            box = SubElement(el, key)
            SubElement(box, "id").text = value.get("id")
            for k, v in value.items():
                if k != "id":
                    self.extension(box, k, v)
        elif key == "persistentDisposition":
            box = SubElement(el, key)
            for part in ("unset", "set"):
                for v in value.get(part) or []:
                    SubElement(box, part).text = v
        elif key == "errorDeclaration":
            box = SubElement(el, key)
            for k, v in value.items():
                if k == "correctiveEventIDs":
                    ids = SubElement(box, k)
                    for i in v:
                        SubElement(ids, "correctiveEventID").text = i
                elif k in ("declarationTime", "reason"):
                    SubElement(box, k).text = _text(v)
                else:
                    self.extension(box, k, v)
        elif key == "sensorElementList":
            box = SubElement(el, key)
            for element in value:
                self.sensor(SubElement(box, "sensorElement"), element)
        elif key == "ilmd":
            box = SubElement(el, key)
            for k, v in value.items():
                self.extension(box, k, v)
        elif key == "certificationInfo" and isinstance(value, list):
            for v in value:
                SubElement(el, key).text = v
        else:
            SubElement(el, key).text = _text(value)

    def sensor(self, el: Element, element: dict) -> None:
        meta = element.get("sensorMetadata")
        if isinstance(meta, dict):
            self.attributes(SubElement(el, "sensorMetadata"), meta)
        for report in element.get("sensorReport") or []:
            self.attributes(SubElement(el, "sensorReport"), report)
        for k, v in element.items():
            if k not in ("sensorMetadata", "sensorReport"):
                self.extension(el, k, v)

    def attributes(self, el: Element, values: dict) -> None:
        for k, v in values.items():
            if not isinstance(v, (dict, list)):
                el.set(self.qname(k), _text(v))


def query_document_xml(document: dict) -> bytes:
    """The XML EPCISQueryDocument of a JSON-LD one (service.query_document)."""
    namespaces: dict[str, str] = {}
    for ctx in document.get("@context") or []:
        if isinstance(ctx, dict):
            namespaces.update({k: v for k, v in ctx.items() if isinstance(v, str)})
    writer = Writer(namespaces)
    root = Element(f"{{{QUERY_NS}}}EPCISQueryDocument", {"schemaVersion": "2.0",
                                                          "creationDate": document["creationDate"]})
    results = document["epcisBody"]["queryResults"]
    body = SubElement(root, "EPCISBody")
    qr = SubElement(body, f"{{{QUERY_NS}}}QueryResults")
    SubElement(qr, "queryName").text = results.get("queryName", "SimpleEventQuery")
    if results.get("subscriptionID"):
        SubElement(qr, "subscriptionID").text = results["subscriptionID"]
    event_list = SubElement(SubElement(qr, "resultsBody"), "EventList")
    for event in results["resultsBody"]["eventList"]:
        writer.event(event_list, event)
    register_namespace("epcisq", QUERY_NS)
    for prefix, ns in writer.namespaces.items():
        if prefix.isidentifier() and not prefix.startswith("ns") and prefix not in ("xml", "xmlns"):
            try:
                register_namespace(prefix, ns)
            except ValueError:
                pass
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode").encode()
