"""EPCIS event hash ID (CBV 2.0, section "Event Hash ID").

The hash ID of an event is ``ni:///sha-256;<hex>?ver=CBV2.0`` where ``<hex>`` is the SHA-256 of the event's
*pre-hash string*.  The pre-hash string is a canonical, syntax-independent serialisation of the event:

1. ``eventType=<type>`` followed by the standard fields in the canonical property order
   (:data:`CANONICAL_ORDER`), each as ``name=value``; list-valued fields write the list name once followed by
   their (lexically sorted) children; structured fields (``readPoint``, ``quantityElement``, ``sensorElement``,
   ``sensorMetadata``, ``sensorReport``, ...) write their children in their own fixed order.
2. User extensions inside a standard field that has an extension point (``readPoint``, ``bizLocation``,
   ``sensorElement``, ``sensorMetadata``, ``sensorReport``) are appended at the end of that field, sorted.
3. Everything else (``bizTransactionList``, ``sourceList``, ``destinationList``, ``ilmd``, event-level user
   extensions, and any part of a standard field the canonical order does not cover) follows, each
   serialised generically (``name[=value]children``) and all sorted lexically.  Entries of
   ``bizTransactionList``/``sourceList``/``destinationList`` are written ``type=<type><name>=<value>``.
4. Extension names are written ``{namespace}localName``; ``eventID``, ``recordTime``, ``errorDeclaration``
   and comments are not part of the hash.

Values are canonicalised: whitespace trimmed; CBV URNs and bare CBV words to ``https://ref.gs1.org/cbv/...``
Web URIs; ``gs1:``/``cbv:``/``epcis:`` CURIEs expanded; numbers without trailing zeros; EPC URNs and
GS1 Digital Link URIs to the constrained canonical ``https://id.gs1.org/...`` form; timestamps of standard
time fields to UTC with millisecond precision (``...T10:00:30.000Z``, 4th decimal rounded half-up).

This follows the reference implementation RalphTro/epcis-event-hash-generator (the pre-hash strings in its
test vectors are reproduced byte for byte), written independently.  Deliberate differences from it are
listed in :data:`DEVIATIONS_FROM_REFERENCE`.
"""
from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

from loaders.epcis.eventhash_dl import canonical_identifier

__all__ = [
    "prehash_string",
    "event_hash_id",
    "document_hash_ids",
    "document_prehash_strings",
    "document_events",
    "context_prefixes",
    "canonical_timestamp",
    "canonical_value",
    "HASH_VERSION",
    "DEVIATIONS_FROM_REFERENCE",
]

HASH_VERSION = "CBV2.0"

DEVIATIONS_FROM_REFERENCE = (
    "numbers that a binary double cannot hold exactly (more than ~15 significant digits) are written "
    "exactly instead of being rounded through a float (float_compat=True restores the reference behaviour)",
    "timestamps with a 4th fractional digit of 5 round up (the reference rounds half to even in that case); "
    "rounding up to the next second (.9995) is carried instead of failing",
    "a timestamp without a UTC offset is read as UTC (the reference uses the local time zone of the machine)",
    "user-defined CURIE prefixes in *values* are not expanded (only gs1:, cbv:, epcis:), so JSON-LD and XML "
    "give the same string; extension *names* are always expanded through the @context",
    "the type of a bizTransaction/source/destination is always written before its value, whatever the key order "
    "of the JSON object; an entry without type is hashed instead of failing",
    "bare CBV words are expanded only in the fields whose JSON-LD @type is @vocab (bizStep, disposition, "
    "persistentDisposition, bizTransaction/source/destination type, sensorReport type/exception/component), not "
    "by matching any string in the document against the expanded document",
    "user extensions inside readPoint/bizLocation/sensorElement/sensorMetadata/sensorReport are appended to their "
    "parent whatever their namespace looks like (the reference requires the namespace to end in '/')",
    "JSON booleans are written true/false like their XML form (the reference writes Python's True/False); "
    "a JSON null is written as an empty value (the reference writes None)",
    "the namespace urn:epcglobal:cbv:mda# (cbvmda in the EPCIS JSON-LD context) is written "
    "{urn:epcglobal:cbv:mda}, the form XML documents use",
)

# ------------------------------------------------------------------------------------ vocabularies

CBV = "https://ref.gs1.org/cbv/"
GS1_VOC = "https://gs1.org/voc/"
STANDARD_PREFIXES = {
    "gs1": GS1_VOC,
    "cbv": CBV,
    "epcis": "https://ref.gs1.org/epcis/",
    "cbvmda": "urn:epcglobal:cbv:mda#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
_VALUE_CURIES = {p: STANDARD_PREFIXES[p] for p in ("gs1", "cbv", "epcis")}
_NAMESPACE_ALIASES = {"urn:epcglobal:cbv:mda#": "urn:epcglobal:cbv:mda"}

_CBV_URN_TO_WEB = (
    ("urn:epcglobal:cbv:bizstep:", CBV + "BizStep-"),
    ("urn:epcglobal:cbv:disp:", CBV + "Disp-"),
    ("urn:epcglobal:cbv:btt:", CBV + "BTT-"),
    ("urn:epcglobal:cbv:sdt:", CBV + "SDT-"),
    ("urn:epcglobal:cbv:er:", CBV + "ER-"),
)

# JSON-LD @vocab expansion of bare words, per field
_VOCAB_BIZSTEP = CBV + "BizStep-"
_VOCAB_DISP = CBV + "Disp-"
_VOCAB_BTT = CBV + "BTT-"
_VOCAB_SDT = CBV + "SDT-"
_VOCAB_COMP = CBV + "Comp-"

_EXCLUDED = frozenset({"eventID", "recordTime", "errorDeclaration", "type", "@context", "@id", "comment",
                       "rdfs:comment", "{http://www.w3.org/2000/01/rdf-schema#}comment"})
_NOT_HASHED_ANYWHERE = frozenset({"@context", "comment", "rdfs:comment",
                                  "{http://www.w3.org/2000/01/rdf-schema#}comment"})

_QUANTITY = (("epcClass", None), ("quantity", None), ("uom", None))
CANONICAL_ORDER: tuple = (
    ("eventTime", None),
    ("eventTimeZoneOffset", None),
    ("certificationInfo", None),
    ("parentID", None),
    ("epcList", (("epc", None),)),
    ("inputEPCList", (("epc", None),)),
    ("childEPCs", (("epc", None),)),
    ("quantityList", (("quantityElement", _QUANTITY),)),
    ("childQuantityList", (("quantityElement", _QUANTITY),)),
    ("inputQuantityList", (("quantityElement", _QUANTITY),)),
    ("outputEPCList", (("epc", None),)),
    ("outputQuantityList", (("quantityElement", _QUANTITY),)),
    ("action", None),
    ("transformationID", None),
    ("bizStep", None),
    ("disposition", None),
    ("persistentDisposition", (("set", None), ("unset", None))),
    ("readPoint", (("id", None),)),
    ("bizLocation", (("id", None),)),
    ("sensorElementList", (("sensorElement", (
        ("sensorMetadata", tuple((n, None) for n in (
            "time", "startTime", "endTime", "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod",
            "bizRules"))),
        ("sensorReport", tuple((n, None) for n in (
            "type", "exception", "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod", "time",
            "microorganism", "chemicalSubstance", "value", "component", "stringValue", "booleanValue",
            "hexBinaryValue", "uriValue", "minValue", "maxValue", "meanValue", "sDev", "percRank", "percValue",
            "uom", "coordinateReferenceSystem"))),
    )),)),
)
"""Canonical property order (the reference's PROP_ORDER).  ``bizTransactionList``, ``sourceList``,
``destinationList`` and ``ilmd`` are not in it: they are written with the sorted remainder of the event."""

_EPC_LISTS = ("epcList", "childEPCs", "inputEPCList", "outputEPCList")
_QUANTITY_LISTS = ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")
_PAIR_LISTS = {"bizTransactionList": "bizTransaction", "sourceList": "source", "destinationList": "destination"}
_PAIR_VOCAB = {"bizTransactionList": _VOCAB_BTT, "sourceList": _VOCAB_SDT, "destinationList": _VOCAB_SDT}


# ----------------------------------------------------------------------------- value canonicalisation

_NUMBER_RE = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_MAX_EXPONENT = 400  # beyond this a "number" is left as written (no multi-megabyte expansions)


def _canonical_number(text: str, float_compat: bool = False) -> str | None:
    if not _NUMBER_RE.fullmatch(text):
        return None
    try:
        exact = Decimal(text)
        as_float = float(text)
    except (InvalidOperation, ValueError, OverflowError):
        return None
    if not math.isfinite(as_float) or abs(exact.adjusted()) > _MAX_EXPONENT:
        return None
    # what the reference writes: the double, as an integer without ".0" or as Python's shortest repr
    via_float = str(int(as_float)) if as_float == int(as_float) else repr(as_float)
    if float_compat or Decimal(via_float) == exact:
        return via_float
    # the double is not the number written: write it exactly, plain notation, no trailing zeros
    exact = exact.normalize()
    if exact == exact.to_integral_value():
        return str(exact.quantize(Decimal(1)))
    return format(exact, "f")


def _cbv_web_uri(text: str) -> str:
    for urn, web in _CBV_URN_TO_WEB:
        if text.startswith(urn):
            return web + text[len(urn):]
    return text


def _expand_value_curie(text: str) -> str:
    prefix, sep, rest = text.partition(":")
    if sep and prefix in _VALUE_CURIES and not rest.startswith("//"):
        return _VALUE_CURIES[prefix] + rest
    return text


def canonical_value(value: Any, *, float_compat: bool = False) -> str:
    """Canonical form of a (non-timestamp) value as written in the pre-hash string.

    Numbers lose trailing zeros (``26.0`` -> ``26``).  A number a binary double cannot hold exactly is written
    exactly; with `float_compat` it is rounded through a double as the reference implementation does
    (``111100001111000011110000`` -> ``111100001111000003641344``), which makes distinct long digit strings
    (serials, lot numbers in extensions) collide.
    """
    text = _scalar_text(value).strip()
    if not text:
        return ""
    text = _cbv_web_uri(_expand_value_curie(text))
    number = _canonical_number(text, float_compat)
    if number is not None:
        return number
    return canonical_identifier(text) or text


_TS_RE = re.compile(
    r"(-?\d{4,})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*"
    r"(Z|z|[+-]\d{2}(?::?\d{2})?)?")


def canonical_timestamp(value: Any) -> str:
    """UTC, millisecond precision, 'Z'; the 4th fractional digit rounds half-up.  Unparseable text is returned
    trimmed and unchanged."""
    text = _scalar_text(value).strip()
    m = _TS_RE.fullmatch(text)
    if not m:
        return text
    year, month, day, hour, minute, second, frac, tz = m.groups()
    try:
        if tz is None or tz in ("Z", "z"):
            tzinfo = UTC
        else:
            sign = -1 if tz[0] == "-" else 1
            digits = tz[1:].replace(":", "")
            offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
            tzinfo = timezone(sign * offset)
        dt = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), tzinfo=tzinfo)
        frac = (frac or "").ljust(4, "0")
        millis = int(frac[:3]) + (1 if frac[3] >= "5" else 0)
        dt = dt.astimezone(UTC) + timedelta(milliseconds=millis)
    except (ValueError, OverflowError):
        return text
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + f".{dt.microsecond // 1000:03d}Z"


def _scalar_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _is_time_field(name: str) -> bool:
    low = name.lower()
    return "time" in low and "offset" not in low


# ------------------------------------------------------------------------------------- event model

@dataclass(eq=False)
class _Node:
    name: str
    value: Any = None
    children: list[_Node] = field(default_factory=list)
    pair_type: Any = None  # bizTransaction/source/destination: their type attribute


def context_prefixes(context: Any, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """Prefix -> namespace IRI map from a JSON-LD ``@context`` value (string, object or list of them)."""
    prefixes = dict(base or {})
    items = context if isinstance(context, list) else [context]
    for item in items:
        if not isinstance(item, dict):
            continue
        for key, val in item.items():
            if key.startswith("@"):
                continue
            if isinstance(val, dict):
                val = val.get("@id")
            if isinstance(val, str) and ":" in val:
                prefixes[key] = val
    return prefixes


_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def _expanded_name(key: str, prefixes: Mapping[str, str]) -> str:
    """'{namespace}local' for a CURIE / absolute IRI key; standard EPCIS names are returned unchanged."""
    if key.startswith("{"):
        return key
    if _ABSOLUTE_IRI.match(key):
        cut = max(key.rfind("#"), key.rfind("/"))
        ns, local = key[:cut + 1], key[cut + 1:]
    else:
        prefix, sep, local = key.partition(":")
        if not sep or prefix not in prefixes:
            return key
        ns = prefixes[prefix]
    ns = _NAMESPACE_ALIASES.get(ns, ns)
    return "{" + ns + "}" + local


def _vocab(value: Any, vocab: str) -> Any:
    """JSON-LD @vocab expansion of a bare word (a value without ':')."""
    if isinstance(value, str) and value.strip() and ":" not in value:
        return vocab + value.strip()
    return value


def _merge_context(obj: Mapping[str, Any], prefixes: Mapping[str, str]) -> Mapping[str, str]:
    if "@context" in obj:
        return context_prefixes(obj["@context"], prefixes)
    return prefixes


def _generic_nodes(key: str, value: Any, prefixes: Mapping[str, str]) -> list[_Node]:
    """Nodes for a (possibly nested, possibly repeated) value; extension-style."""
    name = _expanded_name(key, prefixes)
    if name in _NOT_HASHED_ANYWHERE:
        return []
    if isinstance(value, list):
        out: list[_Node] = []
        for item in value:
            out.extend(_generic_nodes(key, item, prefixes))
        return out
    if isinstance(value, dict):
        return [_object_node(name, value, prefixes)]
    return [_Node(name, value)]


def _object_node(name: str, obj: Mapping[str, Any], prefixes: Mapping[str, str], special=None) -> _Node:
    prefixes = _merge_context(obj, prefixes)
    node = _Node(name, obj.get("#text", obj.get("@value")))
    for key, val in obj.items():
        if key in ("#text", "@value"):
            continue
        if special and key in special:
            node.children.extend(special[key](val))
        else:
            node.children.extend(_generic_nodes(key, val, prefixes))
    return node


def _sensor_element(obj: Any, prefixes: Mapping[str, str]) -> _Node:
    if not isinstance(obj, dict):
        return _Node("sensorElement", obj)
    prefixes = _merge_context(obj, prefixes)

    def report(val):
        reports = val if isinstance(val, list) else [val]
        out = []
        for r in reports:
            if isinstance(r, dict):
                r = dict(r)
                for k, vocab in (("type", GS1_VOC), ("exception", GS1_VOC), ("component", _VOCAB_COMP)):
                    if k in r:
                        r[k] = _vocab(r[k], vocab)
                out.append(_object_node("sensorReport", r, prefixes))
            else:
                out.append(_Node("sensorReport", r))
        return out

    def metadata(val):
        return [_object_node("sensorMetadata", val, prefixes)] if isinstance(val, dict) else [
            _Node("sensorMetadata", val)]

    return _object_node("sensorElement", obj, prefixes, {"sensorReport": report, "sensorMetadata": metadata})


def _event_nodes(event: Mapping[str, Any], prefixes: Mapping[str, str], ignore: frozenset[str]) -> list[_Node]:
    nodes: list[_Node] = []
    for key, val in event.items():
        if key in _EXCLUDED or key in ignore or _expanded_name(key, prefixes) in ignore | _EXCLUDED:
            continue
        if key in _EPC_LISTS:
            items = val if isinstance(val, list) else [val]
            nodes.append(_Node(key, None, [_Node("epc", v) for v in items]))
        elif key in _QUANTITY_LISTS:
            items = val if isinstance(val, list) else [val]
            nodes.append(_Node(key, None, [
                _object_node("quantityElement", q, prefixes) if isinstance(q, dict) else _Node("quantityElement", q)
                for q in items]))
        elif key in _PAIR_LISTS:
            member = _PAIR_LISTS[key]
            entries = []
            for item in val if isinstance(val, list) else [val]:
                if isinstance(item, dict):
                    rest = {k: v for k, v in item.items() if k not in ("type", member)}
                    node = _object_node(member, rest, prefixes)
                    node.value = item.get(member)
                    node.pair_type = _vocab(item.get("type"), _PAIR_VOCAB[key])
                    entries.append(node)
                else:
                    entries.append(_Node(member, item))
            nodes.append(_Node(key, None, entries))
        elif key in ("bizStep", "disposition"):
            nodes.append(_Node(key, _vocab(val, _VOCAB_BIZSTEP if key == "bizStep" else _VOCAB_DISP)))
        elif key == "persistentDisposition" and isinstance(val, dict):
            node = _Node(key)
            for sub in ("set", "unset"):
                items = val.get(sub, [])
                for item in items if isinstance(items, list) else [items]:
                    node.children.append(_Node(sub, _vocab(item, _VOCAB_DISP)))
            for sub, item in val.items():
                if sub not in ("set", "unset"):
                    node.children.extend(_generic_nodes(sub, item, prefixes))
            nodes.append(node)
        elif key == "sensorElementList":
            items = val if isinstance(val, list) else [val]
            nodes.append(_Node(key, None, [_sensor_element(e, prefixes) for e in items]))
        elif key in ("readPoint", "bizLocation", "ilmd") and isinstance(val, dict):
            nodes.append(_object_node(key, val, prefixes))
        else:
            nodes.extend(_generic_nodes(key, val, prefixes))
    return nodes


# --------------------------------------------------------------------------------- serialisation

def _is_extension(node: _Node) -> bool:
    return node.name.startswith("{")


class _Writer:
    """Serialises the event model; consumes what the canonical order writes."""

    def __init__(self, float_compat: bool):
        self.float_compat = float_compat

    def value(self, value: Any) -> str:
        return canonical_value(value, float_compat=self.float_compat)

    def ordered(self, children: list[_Node], order, top: bool) -> str:
        """Write the children named in `order` (removing them when fully written); user extensions of a
        non-top-level element go last, sorted."""
        extensions = [] if top else [c for c in children if _is_extension(c)]
        for ext in extensions:
            children.remove(ext)
        out = []
        for name, sub_order in order:
            written = []
            for child in [c for c in children if c.name == name]:
                text = self.ordered_child(child, sub_order)
                if text:
                    written.append(text)
                if not child.children:
                    children.remove(child)
            written.sort()
            out.extend(written)
        if extensions:
            out.append(self.generic(extensions))
        return "".join(out)

    def ordered_child(self, node: _Node, sub_order) -> str:
        grand = self.ordered(node.children, sub_order, top=False) if sub_order else ""
        value = canonical_timestamp(node.value) if _is_time_field(node.name) else self.value(node.value)
        if value:
            value = "=" + value
        return node.name + value + grand if (value or grand) else ""

    def generic(self, nodes: Iterable[_Node]) -> str:
        return "".join(sorted(self.generic_one(n) for n in nodes))

    def generic_one(self, node: _Node) -> str:
        value = self.value(node.value)
        text = node.name + ("=" + value if value else "")
        if node.pair_type is not None:
            pair_type = self.value(node.pair_type)
            text = ("type=" + pair_type if pair_type else "") + text
        return text + self.generic(node.children)


# --------------------------------------------------------------------------------------- public API

def _ignore_set(ignore_fields: Iterable[str] | None, prefixes: Mapping[str, str]) -> frozenset[str]:
    names = set()
    for name in ignore_fields or ():
        if isinstance(name, str) and name:
            names.add(name)
            names.add(_expanded_name(name, prefixes))
    return frozenset(names)


def prehash_string(event: Mapping[str, Any], context: Mapping[str, str] | None = None, *,
                   ignore_fields: Iterable[str] | None = None, float_compat: bool = False) -> str:
    """Canonical pre-hash string of one event in the EPCIS 2.0 JSON-LD dict shape.

    `context` maps prefixes to namespace IRIs (from the document's ``@context``, see :func:`context_prefixes`);
    an ``@context`` inside the event adds to it.  `ignore_fields` names top-level fields (CURIEs, full IRIs or
    ``{ns}local``) to leave out, as a document's ``ignoreFields`` extension asks.  `float_compat` reproduces
    the reference implementation's rounding of long numbers through a double (see :func:`canonical_value`).
    """
    if not isinstance(event, Mapping):
        raise TypeError("event must be a mapping (one event of an EPCIS JSON-LD document)")
    event_type = event.get("type")
    if not isinstance(event_type, str) or not event_type:
        raise ValueError("event has no 'type'")
    if context is not None and not isinstance(context, Mapping):  # a raw JSON-LD @context value
        context = context_prefixes(context)
    prefixes = _merge_context(event, {**STANDARD_PREFIXES, **(context or {})})
    try:
        nodes = _event_nodes(event, prefixes, _ignore_set(ignore_fields, prefixes))
        writer = _Writer(float_compat)
        ordered = writer.ordered(nodes, CANONICAL_ORDER, top=True)
        return "eventType=" + event_type + ordered + writer.generic(nodes)
    except RecursionError:
        raise ValueError("event is nested too deeply to hash") from None


def _hash(prehash: str) -> str:
    return "ni:///sha-256;" + hashlib.sha256(prehash.encode("utf-8")).hexdigest() + "?ver=" + HASH_VERSION


def event_hash_id(event: Mapping[str, Any], context: Mapping[str, str] | None = None, *,
                  ignore_fields: Iterable[str] | None = None, float_compat: bool = False) -> str:
    """``ni:///sha-256;<hex>?ver=CBV2.0`` of one event (see :func:`prehash_string`)."""
    return _hash(prehash_string(event, context, ignore_fields=ignore_fields, float_compat=float_compat))


def document_events(doc: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The events of an EPCISDocument / EPCISQueryDocument dict (or a bare event)."""
    body = doc.get("epcisBody")
    if isinstance(body, Mapping):
        if "eventList" in body:
            return list(body["eventList"] or [])
        if "event" in body:
            return [body["event"]]
        results = body.get("queryResults", {})
        if isinstance(results, Mapping) and isinstance(results.get("resultsBody"), Mapping):
            return list(results["resultsBody"].get("eventList") or [])
        raise ValueError("epcisBody has no eventList")
    if isinstance(doc.get("type"), str) and doc["type"].endswith("Event"):
        return [doc]
    raise ValueError("not an EPCIS document: no epcisBody")


def _containers(doc: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The document and its body / queryResults / resultsBody objects (not the events)."""
    out = [doc]
    body = doc.get("epcisBody")
    if isinstance(body, Mapping):
        out.append(body)
        results = body.get("queryResults")
        if isinstance(results, Mapping):
            out.append(results)
            if isinstance(results.get("resultsBody"), Mapping):
                out.append(results["resultsBody"])
    return out


def _document_ignore_fields(doc: Mapping[str, Any], prefixes: Mapping[str, str]) -> list[str]:
    """Field names listed in a ``<prefix>:ignoreFields`` extension of the document, its epcisBody, queryResults
    or resultsBody (as the reference implementation's test vectors use it)."""
    names: list[str] = []
    items = [kv for container in _containers(doc) for kv in container.items()]
    for key, val in items:
        if not isinstance(key, str) or key.startswith("@"):
            continue
        expanded = _expanded_name(key, prefixes)
        if not expanded.startswith("{") or not expanded.endswith("}ignoreFields"):
            continue
        if isinstance(val, str):
            names.append(val)
        elif isinstance(val, list):
            names.extend(v for v in val if isinstance(v, str))
        elif isinstance(val, dict):
            names.extend(k for k in val if not k.startswith("@"))
    return names


def document_prehash_strings(doc: Mapping[str, Any], *, honour_ignore_fields: bool = True,
                             float_compat: bool = False) -> list[str]:
    """Pre-hash strings of every event of an EPCIS document dict (see :func:`document_hash_ids`)."""
    prefixes = context_prefixes(doc.get("@context"), STANDARD_PREFIXES)
    ignore = _document_ignore_fields(doc, prefixes) if honour_ignore_fields else []
    return [prehash_string(ev, prefixes, ignore_fields=ignore, float_compat=float_compat)
            for ev in document_events(doc)]


def document_hash_ids(doc: Mapping[str, Any], *, honour_ignore_fields: bool = True,
                      float_compat: bool = False) -> list[str]:
    """Event hash IDs of every event of an EPCIS document dict, in document order.

    Extension prefixes come from the document's ``@context``.  A document-level ``*:ignoreFields`` extension
    (a list of field names, as used by the reference implementation's test vectors) removes those fields
    from every event's hash unless `honour_ignore_fields` is False.
    """
    return [_hash(p) for p in document_prehash_strings(doc, honour_ignore_fields=honour_ignore_fields,
                                                       float_compat=float_compat)]
