"""EPCIS 2.0 XML -> the EPCIS 2.0 JSON-LD document structure (as Python dicts).

:func:`parse_epcis_xml` turns an XML ``EPCISDocument`` (or ``EPCISQueryDocument``, or one bare event element)
into the dict an EPCIS 2.0 JSON-LD document parses to, so that one pipeline serves both bindings::

    {"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", {"ext1": "http://..."}],
     "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "...",
     "epcisHeader": {"epcisMasterData": {"vocabularyList": [...]}},          # only if the XML has master data
     "epcisBody": {"eventList": [{"type": "ObjectEvent", "eventTime": ..., "epcList": [...], ...}]}}

Mapping rules:

* the event ``type`` is the element name; a deprecated ``QuantityEvent`` becomes an ``ObjectEvent`` with
  ``action: OBSERVE`` and a one-element ``quantityList``; EPCIS 1.x ``extension``/``baseExtension`` wrappers are
  flattened;
* lists (``epcList``, ``childEPCs``, ``inputEPCList``, ``outputEPCList``, ``correctiveEventIDs``) become lists of
  strings; ``quantity`` and the numeric ``sensorReport`` attributes become numbers (``int`` when integral),
  ``booleanValue`` a bool; ``bizTransaction``/``source``/``destination`` become ``{"type", "<name>"}``;
  ``persistentDisposition`` becomes ``{"set": [...], "unset": [...]}``;
* CBV values (bizStep, disposition, types, ...) are kept as the XML writes them (URNs, Web URIs, CURIEs); use
  :func:`normalize_cbv` / :func:`normalize_document_cbv` for the bare words of the JSON-LD binding;
* extension elements/attributes (any namespace other than EPCIS) are kept as ``prefix:localName`` keys and the
  prefix is added to ``@context``; unqualified elements inside an extension are plain keys; nested elements
  become dicts, repeated elements lists, an extension element with attributes and text keeps the text under
  ``#text``; values stay strings;
* ``xsi:*`` attributes and XML comments are dropped.

The parser is defensive: DTDs (hence entity expansion and external entities) are forbidden, input size and
nesting depth are capped, and anything the XML schema would reject that would otherwise be converted silently
(unknown EPCIS elements, a bad ``action``, unparseable timestamps or numbers, missing
``eventTime``/``eventTimeZoneOffset``/``action``; element order only with ``strict_order=True``) raises
:class:`EpcisXmlError`, whose ``path`` says
where (``epcisBody/eventList/ObjectEvent[3]/action``; the index is the 0-based position in ``eventList``).
"""
from __future__ import annotations

import copy
import io
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

__all__ = [
    "parse_epcis_xml",
    "EpcisXmlError",
    "normalize_cbv",
    "normalize_document_cbv",
    "EPCIS_CONTEXT",
    "DEFAULT_MAX_BYTES",
]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
MAX_DEPTH = 64
EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"

EPCIS_NAMESPACES = frozenset({
    "urn:epcglobal:epcis:xsd:1", "urn:epcglobal:epcis:xsd:2",
    "urn:epcglobal:epcis-query:xsd:1", "urn:epcglobal:epcis-query:xsd:2",
    "urn:epcglobal:epcis-masterdata:xsd:1", "urn:epcglobal:epcis-masterdata:xsd:2",
})
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS = "http://www.w3.org/XML/1998/namespace"
SBDH = "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"
_RESERVED_PREFIXES = frozenset({"", "xml", "xmlns", "http", "https", "urn", "epcis", "epcisq", "cbv", "gs1",
                                "rdfs", "owl", "xsd", "xsi", "dcterms", "@vocab"})
_STANDARD_PREFIX_NS = {"gs1": "https://gs1.org/voc/", "cbv": "https://ref.gs1.org/cbv/",
                       "epcis": "https://ref.gs1.org/epcis/"}

EVENT_TYPES = ("ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent", "AssociationEvent")
WRAPPERS = ("extension", "baseExtension")
BASE_FIELDS = ("eventTime", "recordTime", "eventTimeZoneOffset", "certificationInfo", "eventID",
               "errorDeclaration")
_TEXT_FIELDS = {"eventTime", "recordTime", "eventTimeZoneOffset", "certificationInfo", "eventID", "parentID",
                "action", "bizStep", "disposition", "transformationID"}
_EPC_LISTS = {"epcList", "childEPCs", "inputEPCList", "outputEPCList"}
_QUANTITY_LISTS = {"quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"}
_PAIR_LISTS = {"bizTransactionList": "bizTransaction", "sourceList": "source", "destinationList": "destination"}
_COMMON = ({"eventTime", "recordTime", "eventTimeZoneOffset", "certificationInfo", "eventID", "errorDeclaration",
            "bizStep", "disposition", "readPoint", "bizLocation", "bizTransactionList", "sourceList",
            "destinationList", "sensorElementList", "persistentDisposition"})
EVENT_FIELDS = {
    "ObjectEvent": _COMMON | {"epcList", "action", "quantityList", "ilmd"},
    "AggregationEvent": _COMMON | {"parentID", "childEPCs", "action", "childQuantityList"},
    "AssociationEvent": _COMMON | {"parentID", "childEPCs", "action", "childQuantityList"},
    "TransactionEvent": _COMMON | {"parentID", "epcList", "action", "quantityList"},
    "TransformationEvent": _COMMON | {"inputEPCList", "inputQuantityList", "outputEPCList", "outputQuantityList",
                                      "transformationID", "ilmd"},
    "QuantityEvent": _COMMON | {"epcClass", "quantity"},
}
_MULTI = {"certificationInfo"}  # may repeat; becomes a list then
ACTIONS = ("ADD", "OBSERVE", "DELETE")

SENSOR_METADATA_ATTRS = {"time", "startTime", "endTime", "deviceID", "deviceMetadata", "rawData",
                         "dataProcessingMethod", "bizRules"}
SENSOR_REPORT_ATTRS = {"type", "exception", "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod",
                       "bizRules", "time", "microorganism", "chemicalSubstance", "coordinateReferenceSystem",
                       "value", "component", "stringValue", "booleanValue", "hexBinaryValue", "uriValue",
                       "minValue", "maxValue", "meanValue", "sDev", "percRank", "percValue", "uom"}
_DECIMAL_ATTRS = {"value", "minValue", "maxValue", "meanValue", "sDev", "percRank", "percValue"}
_TIME_ATTRS = {"time", "startTime", "endTime"}

_DATETIME_RE = re.compile(
    r"-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?"
    r"(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))")
_OFFSET_RE = re.compile(r"[+-]((0\d|1[0-3]):[0-5]\d|14:00)")
_DECIMAL_RE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


class EpcisXmlError(ValueError):
    """The XML is not a (safe, well-formed, valid enough) EPCIS document.

    ``path`` locates the problem (``""`` for the whole document), ``reason`` says what is wrong.
    """

    def __init__(self, path: str, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}" if path else reason)


# ------------------------------------------------------------------------------------ secure parsing

def _parse_secure(data: bytes, max_bytes: int) -> tuple[Element, list[tuple[str, str]]]:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"parse_epcis_xml expects bytes, not {type(data).__name__}")
    size = len(data)
    if size > max_bytes:
        raise EpcisXmlError("", f"document is {size} bytes, more than the limit of {max_bytes} bytes")
    declarations: list[tuple[str, str]] = []
    try:
        parser = SafeET.iterparse(io.BytesIO(bytes(data)), events=("start-ns",), forbid_dtd=True,
                                  forbid_entities=True, forbid_external=True)
        for _, decl in parser:
            declarations.append(decl)
        root = parser.root
    except defusedxml.DTDForbidden:
        raise EpcisXmlError("", "DOCTYPE/DTD declarations are forbidden (protection against entity expansion "
                                "and external entities, XXE)") from None
    except defusedxml.EntitiesForbidden:
        raise EpcisXmlError("", "entity declarations are forbidden (entity expansion protection)") from None
    except defusedxml.ExternalReferenceForbidden:
        raise EpcisXmlError("", "external references are forbidden (XXE protection)") from None
    except ParseError as exc:
        raise EpcisXmlError("", f"not well-formed XML: {exc}") from None
    if root is None:
        raise EpcisXmlError("", "empty document")
    return root, declarations


def _split(tag: str) -> tuple[str | None, str]:
    if tag.startswith("{"):
        ns, local = tag[1:].split("}", 1)
        return ns, local
    return None, tag


def _is_standard(tag: str) -> bool:
    ns, _ = _split(tag)
    return ns is None or ns in EPCIS_NAMESPACES


def _local(tag: str) -> str:
    return _split(tag)[1]


def _text(el: Element) -> str:
    return (el.text or "").strip()


# ------------------------------------------------------------------------------------------ converter

class _Converter:
    def __init__(self, declarations: list[tuple[str, str]], strict_order: bool = False):
        self.strict_order = strict_order
        self.declared: dict[str, list[str]] = {}
        for prefix, uri in declarations:
            self.declared.setdefault(uri, [])
            if prefix not in self.declared[uri]:
                self.declared[uri].append(prefix)
        self.prefixes: dict[str, str] = {}   # prefix -> namespace written to @context
        self.by_ns: dict[str, str] = {}
        self.declared[XML_NS] = ["xml"]      # implicitly declared (xml:lang, xml:space)

    # -- extension names
    def prefix_for(self, ns: str) -> str:
        if ns in self.by_ns:
            return self.by_ns[ns]
        choice = None
        for prefix in self.declared.get(ns, []):
            if prefix in self.prefixes:
                continue
            if prefix in _RESERVED_PREFIXES and _STANDARD_PREFIX_NS.get(prefix) != ns and ns != XML_NS:
                continue
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", prefix):
                continue
            choice = prefix
            break
        if choice is None:
            n = 1
            while f"ns{n}" in self.prefixes:
                n += 1
            choice = f"ns{n}"
        self.prefixes[choice] = ns
        self.by_ns[ns] = choice
        return choice

    def key(self, tag: str) -> str:
        ns, local = _split(tag)
        return local if ns is None else f"{self.prefix_for(ns)}:{local}"

    def context(self) -> list:
        ctx: list = [EPCIS_CONTEXT]
        if self.prefixes:
            ctx.append(dict(self.prefixes))
        return ctx

    # -- generic extension content
    def extension_value(self, el: Element, path: str, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise EpcisXmlError(path, f"nesting deeper than {MAX_DEPTH} levels")
        obj: dict[str, Any] = {}
        for name, value in el.attrib.items():
            if _split(name)[0] == XSI:
                continue
            _add(obj, self.key(name), value)
        children = list(el)
        for child in children:
            _add(obj, self.key(child.tag), self.extension_value(child, f"{path}/{self.key(child.tag)}", depth + 1))
        text = _text(el)
        if not obj:
            return text
        if text:
            obj["#text"] = text
        return obj

    def add_extension(self, target: dict, el: Element, path: str) -> None:
        key = self.key(el.tag)
        _add(target, key, self.extension_value(el, f"{path}/{key}", 1))

    # -- document
    def document(self, root: Element) -> dict:
        ns, local = _split(root.tag)
        doc: dict[str, Any] = {"@context": None, "type": "EPCISDocument"}
        if local in ("EPCISDocument", "EPCISQueryDocument") and ns in EPCIS_NAMESPACES:
            events_parent = self._event_list(root, local)
        elif local in EVENT_TYPES + ("QuantityEvent",) and (ns is None or ns in EPCIS_NAMESPACES):
            events_parent = None
        else:
            raise EpcisXmlError("", f"root element <{local}> is not an EPCISDocument, EPCISQueryDocument "
                                    f"or EPCIS event")
        for attr in ("schemaVersion", "creationDate"):
            if attr in root.attrib:
                doc[attr] = root.attrib[attr].strip()
        if local != "EPCISQueryDocument" and "schemaVersion" not in doc and events_parent is not None:
            raise EpcisXmlError("", "the document has no schemaVersion attribute")
        if "creationDate" in doc and not _DATETIME_RE.fullmatch(doc["creationDate"]):
            raise EpcisXmlError("@creationDate", f"not a dateTime with time zone: {doc['creationDate']!r}")

        if events_parent is None:
            events = [self.event(root, "epcisBody/eventList", 0)]
        else:
            events = []
            for i, el in enumerate(self._event_elements(events_parent)):
                events.append(self.event(el, "epcisBody/eventList", i))

        for child in root:
            cns, clocal = _split(child.tag)
            if cns is not None and cns not in EPCIS_NAMESPACES:
                if events_parent is not None:  # a document-level extension element
                    self.add_extension(doc, child, "")
            elif clocal == "EPCISHeader":
                self._header(child, doc)
        doc["epcisBody"] = {"eventList": events}
        doc["@context"] = self.context()
        return doc

    def _event_list(self, root: Element, kind: str) -> Element:
        body = _child(root, "EPCISBody")
        if kind == "EPCISDocument":
            if body is None:
                raise EpcisXmlError("EPCISBody", "missing")
            event_list = _child(body, "EventList")
            if event_list is None:
                raise EpcisXmlError("EPCISBody/EventList", "missing")
            return event_list
        # query document: EPCISBody/QueryResults/resultsBody/EventList (also tolerate resultsBody elsewhere)
        results_body = None
        for el in root.iter():
            if _is_standard(el.tag) and _local(el.tag) == "resultsBody":
                results_body = el
                break
        if results_body is None:
            raise EpcisXmlError("EPCISBody/QueryResults/resultsBody", "missing")
        event_list = _child(results_body, "EventList")
        if event_list is None:
            raise EpcisXmlError("EPCISBody/QueryResults/resultsBody/EventList", "missing")
        return event_list

    def _event_elements(self, event_list: Element, depth: int = 0) -> Iterator[Element]:
        if depth > MAX_DEPTH:
            raise EpcisXmlError("epcisBody/eventList", f"nesting deeper than {MAX_DEPTH} levels")
        for el in event_list:
            if _is_standard(el.tag) and _local(el.tag) in WRAPPERS:
                yield from self._event_elements(el, depth + 1)   # EPCIS 1.x: <extension><TransformationEvent>
            else:
                yield el

    # -- header / master data
    def _header(self, header: Element, doc: dict) -> None:
        vocabularies: list = []
        for el in header.iter():
            ns, local = _split(el.tag)
            if ns == SBDH:
                text = _text(el)
                if local == "Sender":
                    ident = _find_local(el, "Identifier")
                    if ident is not None and _text(ident):
                        doc["sender"] = _text(ident)
                elif local == "Receiver":
                    ident = _find_local(el, "Identifier")
                    if ident is not None and _text(ident):
                        doc["receiver"] = _text(ident)
                elif local == "InstanceIdentifier" and text:
                    doc["instanceIdentifier"] = text
            elif _is_standard(el.tag) and local == "Vocabulary":
                vocabularies.append(self._vocabulary(el))
        if vocabularies:
            doc["epcisHeader"] = {"epcisMasterData": {"vocabularyList": vocabularies}}

    def _vocabulary(self, vocab: Element) -> dict:
        out: dict[str, Any] = {"type": vocab.attrib.get("type", "").strip()}
        elements = []
        for el in vocab.iter():
            if not (_is_standard(el.tag) and _local(el.tag) == "VocabularyElement"):
                continue
            item: dict[str, Any] = {"id": el.attrib.get("id", "").strip()}
            attributes, children = [], []
            for sub in el:
                local = _local(sub.tag)
                if local == "attribute":
                    value = self.extension_value(sub, "epcisHeader/attribute", 1)
                    if isinstance(value, dict):
                        value.pop("id", None)
                        if list(value) == ["#text"]:
                            value = value["#text"]
                    attributes.append({"id": sub.attrib.get("id", "").strip(), "attribute": value})
                elif local == "children":
                    children.extend(_text(c) for c in sub)
            if attributes:
                item["attributes"] = attributes
            if children:
                item["children"] = children
            elements.append(item)
        out["vocabularyElementList"] = elements
        return out

    # -- events
    def event(self, el: Element, list_path: str, index: int) -> dict:
        ns, local = _split(el.tag)
        path = f"{list_path}/{local}[{index}]"
        if not (ns is None or ns in EPCIS_NAMESPACES) or local not in EVENT_FIELDS:
            raise EpcisXmlError(path, f"<{local}> is not an EPCIS event type")
        allowed = EVENT_FIELDS[local]
        event: dict[str, Any] = {"type": "ObjectEvent" if local == "QuantityEvent" else local}
        if self.strict_order:
            self._check_order(el, path, local)
        seen: set[str] = set()
        for child, child_path_base in self._flatten(el, path):
            if not _is_standard(child.tag):
                self.add_extension(event, child, child_path_base)
                continue
            name = _local(child.tag)
            cpath = f"{child_path_base}/{name}"
            if name not in allowed:
                raise EpcisXmlError(cpath, f"<{name}> is not an element of {local}")
            if name in seen and name not in _MULTI:
                raise EpcisXmlError(cpath, f"<{name}> occurs more than once")
            seen.add(name)
            self._field(event, name, child, cpath, local)
        for attr in el.attrib:
            if _split(attr)[0] not in (None, XSI) and _split(attr)[0] not in EPCIS_NAMESPACES:
                _add(event, self.key(attr), el.attrib[attr])
        if local == "QuantityEvent":
            qe = {"epcClass": event.pop("epcClass", None)}
            if "quantity" in event:
                qe["quantity"] = event.pop("quantity")
            if qe["epcClass"] is None:
                raise EpcisXmlError(f"{path}/epcClass", "missing")
            event["quantityList"] = [qe]
            event["action"] = "OBSERVE"
        for required in ("eventTime", "eventTimeZoneOffset"):
            if required not in event:
                raise EpcisXmlError(f"{path}/{required}", "required element missing")
        if local not in ("TransformationEvent", "QuantityEvent") and "action" not in event:
            raise EpcisXmlError(f"{path}/action", "required element missing")
        return event

    def _flatten(self, el: Element, path: str, depth: int = 0) -> Iterator[tuple[Element, str]]:
        """Children of `el`, with EPCIS 1.x ``extension``/``baseExtension`` wrappers opened."""
        if depth > MAX_DEPTH:
            raise EpcisXmlError(path, f"nesting deeper than {MAX_DEPTH} levels")
        for child in el:
            if _is_standard(child.tag) and _local(child.tag) in WRAPPERS:
                yield from self._flatten(child, f"{path}/{_local(child.tag)}", depth + 1)
            else:
                yield child, path

    def _check_order(self, el: Element, path: str, event_type: str) -> None:
        """XSD sequence rules that every EPCIS 1.2/2.0 event satisfies: eventTime comes first, the common event
        fields come before the type-specific ones, and user extensions come after the standard fields."""
        names = [(_local(c.tag) if _is_standard(c.tag) else None) for c in el]
        standard = [n for n in names if n is not None]
        if standard and standard[0] != "eventTime" and "eventTime" in standard:
            raise EpcisXmlError(f"{path}/{standard[0]}",
                                f"element order: <eventTime> must be the first element of {event_type}")
        seen_specific = None
        for n in standard:
            if n in WRAPPERS:
                continue
            if n in BASE_FIELDS:
                if seen_specific is not None:
                    raise EpcisXmlError(f"{path}/{n}", f"element order: <{n}> must come before <{seen_specific}>")
            else:
                seen_specific = seen_specific or n
        seen_extension = False
        for n in names:
            if n is None:
                seen_extension = True
            elif seen_extension and n not in WRAPPERS:
                raise EpcisXmlError(f"{path}/{n}", "element order: standard elements must come before "
                                                   "user extension elements")

    def _field(self, event: dict, name: str, el: Element, path: str, event_type: str) -> None:
        if name in _TEXT_FIELDS or name == "epcClass":
            value = _text(el)
            if list(el):
                raise EpcisXmlError(path, f"<{name}> must contain text only")
            if not value:
                raise EpcisXmlError(path, "empty value")
            if name in ("eventTime", "recordTime") and not _DATETIME_RE.fullmatch(value):
                raise EpcisXmlError(path, f"not an xsd:dateTime with time zone: {value!r}")
            if name == "eventTimeZoneOffset" and not _OFFSET_RE.fullmatch(value):
                raise EpcisXmlError(path, f"not a time zone offset (+hh:mm / -hh:mm): {value!r}")
            if name == "action" and value not in ACTIONS:
                raise EpcisXmlError(path, f"action must be one of {', '.join(ACTIONS)}, not {value!r}")
            if name in _MULTI and name in event:
                prev = event[name]
                event[name] = (prev if isinstance(prev, list) else [prev]) + [value]
            else:
                event[name] = value
        elif name == "quantity":
            event[name] = _number(_text(el), path)
        elif name in _EPC_LISTS:
            event[name] = self._strings(el, path, "epc")
        elif name in _QUANTITY_LISTS:
            event[name] = [self._quantity_element(q, f"{path}/quantityElement[{i}]")
                           for i, q in enumerate(self._children(el, path, "quantityElement"))]
        elif name in ("readPoint", "bizLocation"):
            event[name] = self._location(el, path)
        elif name in _PAIR_LISTS:
            member = _PAIR_LISTS[name]
            items = []
            for i, item in enumerate(self._children(el, path, member)):
                ipath = f"{path}/{member}[{i}]"
                if list(item):
                    raise EpcisXmlError(ipath, f"<{member}> must contain text only")
                entry: dict[str, Any] = {}
                for attr, value in item.attrib.items():
                    ans, alocal = _split(attr)
                    if ans == XSI:
                        continue
                    entry["type" if (ans is None and alocal == "type") else self.key(attr)] = value.strip()
                entry[member] = _text(item)
                if not entry[member]:
                    raise EpcisXmlError(ipath, "empty value")
                items.append(entry)
            event[name] = items
        elif name == "sensorElementList":
            event[name] = [self._sensor_element(se, f"{path}/sensorElement[{i}]")
                           for i, se in enumerate(self._children(el, path, "sensorElement"))]
        elif name == "persistentDisposition":
            pd: dict[str, list] = {}
            for child in el:
                cname = _local(child.tag)
                if not _is_standard(child.tag) or cname not in ("set", "unset"):
                    raise EpcisXmlError(f"{path}/{cname}", "persistentDisposition contains only <set>/<unset>")
                pd.setdefault(cname, []).append(_text(child))
            event[name] = pd
        elif name == "errorDeclaration":
            event[name] = self._error_declaration(el, path)
        elif name == "ilmd":
            ilmd: dict[str, Any] = {}
            for child, cpath in self._flatten(el, path):
                if _is_standard(child.tag):
                    raise EpcisXmlError(f"{cpath}/{_local(child.tag)}",
                                        "ILMD may only contain elements of a user namespace")
                self.add_extension(ilmd, child, cpath)
            event[name] = ilmd
        else:  # pragma: no cover - EVENT_FIELDS and the handlers above cover the same names
            raise EpcisXmlError(path, f"unsupported element <{name}>")

    def _children(self, el: Element, path: str, expected: str) -> Iterator[Element]:
        for child, cpath in self._flatten(el, path):
            if not _is_standard(child.tag) or _local(child.tag) != expected:
                raise EpcisXmlError(f"{cpath}/{_local(child.tag)}", f"expected <{expected}>")
            yield child

    def _strings(self, el: Element, path: str, expected: str) -> list[str]:
        out = []
        for i, child in enumerate(self._children(el, path, expected)):
            value = _text(child)
            if not value:
                raise EpcisXmlError(f"{path}/{expected}[{i}]", "empty value")
            out.append(value)
        return out

    def _quantity_element(self, el: Element, path: str) -> dict:
        out: dict[str, Any] = {}
        for child, cpath in self._flatten(el, path):
            name = _local(child.tag)
            if not _is_standard(child.tag) or name not in ("epcClass", "quantity", "uom"):
                raise EpcisXmlError(f"{cpath}/{name}", "quantityElement contains only epcClass, quantity, uom")
            if name in out:
                raise EpcisXmlError(f"{cpath}/{name}", f"<{name}> occurs more than once")
            text = _text(child)
            if name == "quantity":
                if child.attrib.get(f"{{{XSI}}}nil") in ("true", "1") and not text and not list(child):
                    continue  # <quantity xsi:nil="true"/>: no quantity, as the JSON form omits it
                out[name] = _number(text, f"{cpath}/quantity")
            else:
                if not text:
                    raise EpcisXmlError(f"{cpath}/{name}", "empty value")
                out[name] = text
        if "epcClass" not in out:
            raise EpcisXmlError(f"{path}/epcClass", "required element missing")
        return out

    def _location(self, el: Element, path: str) -> dict:
        out: dict[str, Any] = {}
        for child, cpath in self._flatten(el, path):
            if not _is_standard(child.tag):
                self.add_extension(out, child, cpath)
                continue
            name = _local(child.tag)
            if name != "id" or "id" in out:
                raise EpcisXmlError(f"{cpath}/{name}", "expected one <id> (and user extensions)")
            out["id"] = _text(child)
            if not out["id"]:
                raise EpcisXmlError(f"{cpath}/id", "empty value")
        if "id" not in out:
            raise EpcisXmlError(f"{path}/id", "required element missing")
        return {"id": out.pop("id"), **out}

    def _sensor_element(self, el: Element, path: str) -> dict:
        out: dict[str, Any] = {}
        reports = []
        for child, cpath in self._flatten(el, path):
            if not _is_standard(child.tag):
                self.add_extension(out, child, cpath)
                continue
            name = _local(child.tag)
            if name == "sensorMetadata" and "sensorMetadata" not in out:
                out["sensorMetadata"] = self._sensor_attrs(child, f"{cpath}/sensorMetadata", SENSOR_METADATA_ATTRS)
            elif name == "sensorReport":
                reports.append(self._sensor_attrs(child, f"{cpath}/sensorReport[{len(reports)}]",
                                                  SENSOR_REPORT_ATTRS))
            else:
                raise EpcisXmlError(f"{cpath}/{name}", "sensorElement contains one sensorMetadata, sensorReports "
                                                       "and user extensions")
        if not reports:
            raise EpcisXmlError(f"{path}/sensorReport", "a sensorElement needs at least one sensorReport")
        result: dict[str, Any] = {}
        if "sensorMetadata" in out:
            result["sensorMetadata"] = out.pop("sensorMetadata")
        result["sensorReport"] = reports
        result.update(out)
        return result

    def _sensor_attrs(self, el: Element, path: str, allowed: set[str]) -> dict:
        out: dict[str, Any] = {}
        for attr, raw in el.attrib.items():
            ns, local = _split(attr)
            if ns == XSI:
                continue
            value = raw.strip()
            if ns is not None:
                out[self.key(attr)] = value
                continue
            apath = f"{path}/@{local}"
            if local not in allowed:
                raise EpcisXmlError(apath, f"unknown attribute {local!r}")
            if local in _DECIMAL_ATTRS:
                out[local] = _number(value, apath)
            elif local == "booleanValue":
                if value not in ("true", "false", "1", "0"):
                    raise EpcisXmlError(apath, f"not a boolean: {value!r}")
                out[local] = value in ("true", "1")
            elif local in _TIME_ATTRS:
                if not _DATETIME_RE.fullmatch(value):
                    raise EpcisXmlError(apath, f"not an xsd:dateTime with time zone: {value!r}")
                out[local] = value
            else:
                out[local] = value
        for child in el:  # extension elements inside sensorMetadata / sensorReport
            if _is_standard(child.tag):
                raise EpcisXmlError(f"{path}/{_local(child.tag)}", "unexpected element")
            self.add_extension(out, child, path)
        return out

    def _error_declaration(self, el: Element, path: str) -> dict:
        out: dict[str, Any] = {}
        for child, cpath in self._flatten(el, path):
            if not _is_standard(child.tag):
                self.add_extension(out, child, cpath)
                continue
            name = _local(child.tag)
            if name in ("declarationTime", "reason"):
                out[name] = _text(child)
                if name == "declarationTime" and not _DATETIME_RE.fullmatch(out[name]):
                    raise EpcisXmlError(f"{cpath}/{name}", f"not an xsd:dateTime with time zone: {out[name]!r}")
            elif name == "correctiveEventIDs":
                out[name] = self._strings(child, f"{cpath}/{name}", "correctiveEventID")
            else:
                raise EpcisXmlError(f"{cpath}/{name}", "unexpected element in errorDeclaration")
        if "declarationTime" not in out:
            raise EpcisXmlError(f"{path}/declarationTime", "required element missing")
        return out


def _add(target: dict, key: str, value: Any) -> None:
    """Set target[key]; a repeated key becomes a list."""
    if key in target:
        prev = target[key]
        if isinstance(prev, list):
            prev.append(value)
        else:
            target[key] = [prev, value]
    else:
        target[key] = value


def _child(el: Element, local: str) -> Element | None:
    for child in el:
        if _is_standard(child.tag) and _local(child.tag) == local:
            return child
    return None


def _find_local(el: Element, local: str) -> Element | None:
    for child in el.iter():
        if _local(child.tag) == local and child is not el:
            return child
    return None


def _number(text: str, path: str) -> int | float:
    if not _DECIMAL_RE.fullmatch(text or ""):
        raise EpcisXmlError(path, f"not a number: {text!r}")
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the regex admits only valid decimals
        raise EpcisXmlError(path, f"not a number: {text!r}") from None
    if value == value.to_integral_value() and abs(value) < 10 ** 15:
        return int(value)
    result = float(value)
    if result in (float("inf"), float("-inf")):
        raise EpcisXmlError(path, f"number out of range: {text!r}")
    return result


def parse_epcis_xml(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, strict_order: bool = False) -> dict:
    """Convert an EPCIS 2.0 XML document (bytes) to the EPCIS 2.0 JSON-LD dict structure.

    Accepts ``EPCISDocument``, ``EPCISQueryDocument`` (the events of its ``resultsBody``; the result has
    ``type: EPCISDocument``) and a bare event element (wrapped into a one-event document).  EPCIS 1.x documents
    are accepted too (their ``extension`` wrappers are flattened).  Raises :class:`EpcisXmlError` for unsafe,
    malformed or invalid input and ``TypeError`` if `data` is not bytes.

    With `strict_order` the XSD element order of events is enforced (``eventTime`` first, common event fields
    before type-specific ones, user extensions last).  It is off by default: JSON has no element order, the
    event hash does not depend on it, and real documents (e.g. OpenEPCIS' ``JumbledFieldsOrder.xml``) violate it.
    """
    root, declarations = _parse_secure(data, max_bytes)
    return _Converter(declarations, strict_order=strict_order).document(root)


# ------------------------------------------------------------------------------------ CBV normalisation

_CBV_FORMS = {
    "bizStep": ("urn:epcglobal:cbv:bizstep:", "BizStep-"),
    "disposition": ("urn:epcglobal:cbv:disp:", "Disp-"),
    "bizTransactionType": ("urn:epcglobal:cbv:btt:", "BTT-"),
    "sourceDestType": ("urn:epcglobal:cbv:sdt:", "SDT-"),
    "errorReason": ("urn:epcglobal:cbv:er:", "ER-"),
    "component": (None, "Comp-"),
}
_KIND_ALIASES = {
    "bizstep": "bizStep", "biz_step": "bizStep", "disp": "disposition", "persistentDisposition": "disposition",
    "btt": "bizTransactionType", "bizTransaction": "bizTransactionType", "sdt": "sourceDestType",
    "source": "sourceDestType", "destination": "sourceDestType", "er": "errorReason", "reason": "errorReason",
    "comp": "component",
}
_CBV_WEB_PREFIXES = ("https://ref.gs1.org/cbv/", "http://ref.gs1.org/cbv/", "cbv:")
_WORD_RE = re.compile(r"[A-Za-z0-9_]+")


def normalize_cbv(value: Any, kind: str) -> Any:
    """Bare CBV word for a CBV value in URN, Web URI or ``cbv:`` CURIE form; anything else is returned unchanged.

    `kind` is one of ``bizStep``, ``disposition``, ``bizTransactionType``, ``sourceDestType``, ``errorReason``,
    ``component`` (short aliases such as ``btt``/``sdt``/``disp`` are accepted).  E.g.
    ``normalize_cbv("urn:epcglobal:cbv:bizstep:shipping", "bizStep") == "shipping"`` and
    ``normalize_cbv("https://ref.gs1.org/cbv/BizStep-shipping", "bizStep") == "shipping"``.
    """
    kind = _KIND_ALIASES.get(kind, kind)
    if kind not in _CBV_FORMS:
        raise ValueError(f"unknown CBV vocabulary kind {kind!r}")
    if not isinstance(value, str):
        return value
    text = value.strip()
    urn, web_term = _CBV_FORMS[kind]
    word = None
    if urn and text.startswith(urn):
        word = text[len(urn):]
    else:
        for prefix in _CBV_WEB_PREFIXES:
            if text.startswith(prefix + web_term):
                word = text[len(prefix + web_term):]
                break
    if word is not None and _WORD_RE.fullmatch(word):
        return word
    return value


def normalize_document_cbv(doc: dict) -> dict:
    """Deep copy of a converted document with every CBV-valued field as a bare word (the JSON-LD binding's form):
    bizStep, disposition, persistentDisposition, bizTransaction/source/destination types, errorDeclaration
    reason and sensorReport component."""
    out = copy.deepcopy(doc)
    body = out.get("epcisBody") or {}
    for event in body.get("eventList") or []:
        if not isinstance(event, dict):
            continue
        for field in ("bizStep", "disposition"):
            if field in event:
                event[field] = normalize_cbv(event[field], field)
        pd = event.get("persistentDisposition")
        if isinstance(pd, dict):
            for sub in ("set", "unset"):
                if isinstance(pd.get(sub), list):
                    pd[sub] = [normalize_cbv(v, "disposition") for v in pd[sub]]
        for list_name, kind in (("bizTransactionList", "bizTransactionType"), ("sourceList", "sourceDestType"),
                                ("destinationList", "sourceDestType")):
            for item in event.get(list_name) or []:
                if isinstance(item, dict) and "type" in item:
                    item["type"] = normalize_cbv(item["type"], kind)
        err = event.get("errorDeclaration")
        if isinstance(err, dict) and "reason" in err:
            err["reason"] = normalize_cbv(err["reason"], "errorReason")
        for element in event.get("sensorElementList") or []:
            for report in (element.get("sensorReport") or []) if isinstance(element, dict) else []:
                if isinstance(report, dict) and "component" in report:
                    report["component"] = normalize_cbv(report["component"], "component")
    return out
