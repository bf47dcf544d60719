"""Read one EPCIS 2.0 JSON-LD document into canonical events and master data.

Nothing is written here: a document is parsed and validated whole first, so a
bad one can be refused before the database sees any of it.
"""
from __future__ import annotations

import copy
import hashlib
import json
import re

from pydantic import ValidationError

from core import fastjson
from core.epcis.document import Document, LoadError
from core.epcis.models import EpcisDocumentHead, EpcisEvent, Event, Vocabulary
from core.identifiers import IdentifierError
from core.settings import Settings, get_settings
from loaders.epcis import masterdata
from loaders.epcis.normalize import Canonicaliser, FieldError, idpat_gtin, normalise


def _loc(error: dict) -> str:
    parts = [str(p) for p in error["loc"] if not str(p).startswith("function-")]
    out = ""
    for p in parts:
        out += f"[{p}]" if p.isdigit() else (f".{p}" if out else p)
    return out or "$"


def _first_error(exc: ValidationError) -> tuple[str, str]:
    err = exc.errors(include_url=False)[0]
    field, msg = _loc(err), err["msg"].removeprefix("Value error, ")
    if field == "$" and ": " in msg:  # our model validators name the field first
        field, _, msg = msg.partition(": ")
    return field, msg


def _hash_id(context: dict[str, str]):
    def compute(raw: dict) -> str:
        from loaders.epcis.eventhash import event_hash_id
        return event_hash_id(raw, context)
    return compute


def _context_namespaces(context) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in context if isinstance(context, list) else [context]:
        if isinstance(item, dict):
            out.update({k: v for k, v in item.items() if isinstance(v, str)})
    return out


def _without_declaration(raw) -> object:
    return {k: v for k, v in raw.items() if k != "errorDeclaration"} if isinstance(raw, dict) else raw


def _quantity_event(raw):
    """The deprecated QuantityEvent is read as an ObjectEvent OBSERVE with one quantity element."""
    if not isinstance(raw, dict) or raw.get("type") != "QuantityEvent":
        return raw
    out = {k: v for k, v in raw.items() if k not in ("epcClass", "quantity")}
    out.update(type="ObjectEvent", action="OBSERVE",
               quantityList=[{"epcClass": raw.get("epcClass"), "quantity": raw.get("quantity")}])
    return out


def _check_schema(data: dict, source: str, settings: Settings | None) -> None:
    from loaders.epcis import schema
    error = schema.first_error(data, settings)
    if error is None:
        return
    path, message = error
    index = None
    if len(path) >= 3 and path[1] == "eventList" and isinstance(path[2], int):
        index, path = path[2], path[3:]
    elif len(path) >= 5 and path[1] == "queryResults" and isinstance(path[4], int):
        index, path = path[4], path[5:]
    field = ""
    for p in path:
        field += f"[{p}]" if isinstance(p, int) else (f".{p}" if field else str(p))
    raise LoadError(source, field or "$", f"EPCIS 2.0 JSON Schema: {message}", index=index)


def parse_document(data: dict, source: str, known_prefixes=(), digest: str | None = None,
                   validate_schema: bool = True, xml: bool = False, settings: Settings | None = None) -> Document:
    """Validate a decoded EPCIS document; raise LoadError naming the first problem."""
    if not isinstance(data, dict):
        raise LoadError(source, "$", "an EPCIS document is a JSON object")
    try:
        EpcisDocumentHead.model_validate(data)
    except ValidationError as exc:
        raise LoadError(source, *_first_error(exc)) from exc
    body = data.get("epcisBody")
    events_raw = body.get("eventList") if isinstance(body, dict) else None
    if events_raw is None and isinstance(body, dict) and isinstance(body.get("queryResults"), dict):
        events_raw = body["queryResults"].get("resultsBody", {}).get("eventList")
    if not isinstance(events_raw, list):
        raise LoadError(source, "epcisBody.eventList", "missing or not a list")
    header = data.get("epcisHeader") or {}
    try:
        vocabularies = [Vocabulary.model_validate(v) for v in
                        (header.get("epcisMasterData") or {}).get("vocabularyList", [])]
    except (ValidationError, AttributeError) as exc:
        reason = _first_error(exc)[1] if isinstance(exc, ValidationError) else "malformed"
        raise LoadError(source, "epcisHeader.epcisMasterData.vocabularyList", reason) from exc

    events_raw = [_quantity_event(raw) for raw in events_raw]
    ids = Canonicaliser(known_prefixes)
    ids.learn(_all_identifiers(events_raw, vocabularies))
    namespaces = _context_namespaces(data.get("@context"))
    hash_id = _hash_id(namespaces)
    events: list[Event] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(events_raw):
        try:
            parsed = EpcisEvent.model_validate(raw)
            event = normalise(parsed, raw, ids, hash_id)
        except ValidationError as exc:
            raise LoadError(source, *_first_error(exc), index=i) from exc
        except FieldError as exc:
            raise LoadError(source, exc.field, exc.reason, index=i) from exc
        if event.event_id in seen:
            first = seen[event.event_id]
            if _without_declaration(events_raw[first]) != _without_declaration(raw):
                raise LoadError(source, "eventID", f"{event.event_id} is used by event {first} "
                                "with different content", index=i)
            if event.error_declaration:  # the event and its error declaration in one document
                kept = next(e for e in events if e.event_id == event.event_id)
                kept.error_declaration = event.error_declaration
            continue
        seen[event.event_id] = i
        events.append(event)
    if validate_schema:
        # XML may repeat an EPC in a list (the XSD allows it, JSON's uniqueItems does not); a
        # repeat says nothing new. The hash ID is computed on the event as sent.
        _check_schema(_unique_lists(copy.deepcopy(data)) if xml else data, source, settings)

    groups = masterdata.split(vocabularies)
    try:
        parties = [(ids.epc(epc, "party", ("party", "location")), a) for epc, a in groups["parties"]]
        sites = [(ids.epc(epc, "location", ("location",)), a) for epc, a in groups["sites"]]
        products = [(idpat_gtin(epc), a) for epc, a in groups["products"] if epc.startswith("urn:epc:idpat:sgtin:")]
    except (FieldError, IdentifierError) as exc:
        raise LoadError(source, "epcisHeader.epcisMasterData", str(exc)) from exc
    for attrs in [a for _, a in sites] + [a for _, a in products]:
        for ref in masterdata.REFERENCES & attrs.keys():
            try:
                attrs[ref] = ids.epc(str(attrs[ref]), ref, ("party", "location"))
            except FieldError as exc:
                raise LoadError(source, f"epcisHeader.epcisMasterData ({ref})", exc.reason) from exc
    return Document(source=source, digest=digest or _digest(data), events=events, parties=parties,
                    sites=sites, products=products, prefixes=ids.prefixes, context=namespaces,
                    prefix_bound=ids.consulted)


def _all_identifiers(events_raw: list, vocabularies: list[Vocabulary]):
    for raw in events_raw:
        if not isinstance(raw, dict):
            continue
        for key in ("epcList", "childEPCs", "inputEPCList", "outputEPCList"):
            if isinstance(raw.get(key), list):
                yield from (v for v in raw[key] if isinstance(v, str))
        if isinstance(raw.get("parentID"), str):
            yield raw["parentID"]
        for key in ("readPoint", "bizLocation"):
            if isinstance(raw.get(key), dict) and isinstance(raw[key].get("id"), str):
                yield raw[key]["id"]
        for key, inner in (("sourceList", "source"), ("destinationList", "destination")):
            for entry in raw.get(key) or []:
                if isinstance(entry, dict) and isinstance(entry.get(inner), str):
                    yield entry[inner]
    for vocabulary in vocabularies:
        yield from (e.id for e in vocabulary.vocabularyElementList)


def _digest(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def read_file(path, known_prefixes=(), settings: Settings | None = None) -> Document:
    """Parse an EPCIS 2.0 document file: JSON-LD, or XML (told apart by the first byte).
    `settings` (the caller's) bound XML input; without them the environment's apply."""
    source = str(path)
    try:
        raw_bytes = open(path, "rb").read()
    except OSError as exc:
        raise LoadError(source, "$", f"cannot read file: {exc.strerror}") from exc
    return read_bytes(raw_bytes, source, known_prefixes, settings=settings)


def is_xml(raw_bytes: bytes) -> bool:
    return raw_bytes.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<"


def decode(raw_bytes: bytes, source: str, syntax: str | None = None, settings: Settings | None = None) -> dict:
    """The JSON-LD structure of a document in either syntax (XML goes through the safe
    parser: no DTDs, so no external entities or entity expansion). `syntax` ("json" or
    "xml", from a Content-Type) is enforced when given, else told by the first byte.
    Either way the result is bounded by fastjson.check_limits (depth, string length, numbers)."""
    xml = is_xml(raw_bytes) if syntax is None else syntax == "xml"
    if xml:
        from loaders.epcis.xml import (
            EpcisXmlError,
            normalize_document_cbv,
            parse_epcis_xml,
        )
        settings = settings or get_settings()
        try:
            data = parse_epcis_xml(raw_bytes, max_bytes=settings.capture_max_bytes,
                                   strict_order=settings.xml_strict_order)
        except EpcisXmlError as exc:
            index, field = _xml_place(exc.path)
            raise LoadError(source, field, exc.reason, index=index) from exc
        data = normalize_document_cbv(data)
    else:
        try:
            data = fastjson.loads(raw_bytes)
        except fastjson.JsonRefused as exc:
            raise _refused(source, exc) from exc
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise LoadError(source, "$", f"not valid JSON: {exc}") from exc
    try:
        fastjson.check_limits(data)
    except fastjson.JsonRefused as exc:
        raise _refused(source, exc) from exc
    return data


_JSON_EVENT = re.compile(r"^epcisBody\.(?:eventList|queryResults\.resultsBody\.eventList)\[(\d+)\]\.?(.*)$")


def _refused(source: str, exc: fastjson.JsonRefused) -> LoadError:
    match = _JSON_EVENT.match(exc.field)
    if match:
        return LoadError(source, match.group(2) or "$", exc.reason, index=int(match.group(1)))
    return LoadError(source, exc.field, exc.reason)


def read_bytes(raw_bytes: bytes, source: str, known_prefixes=(), syntax: str | None = None,
               settings: Settings | None = None) -> Document:
    data = decode(raw_bytes, source, syntax, settings)
    xml = is_xml(raw_bytes) if syntax is None else syntax == "xml"
    return parse_document(data, source, known_prefixes, digest=hashlib.sha256(raw_bytes).hexdigest(), xml=xml,
                          settings=settings)


_XML_EVENT = re.compile(r"^epcisBody/(?:eventList|queryResults/resultsBody/eventList)/\w+\[(\d+)\]/?(.*)$")


def _xml_place(path: str) -> tuple[int | None, str]:
    match = _XML_EVENT.match(path or "")
    if match:
        return int(match.group(1)), match.group(2).replace("/", ".") or "$"
    return None, path or "$"


_ID_LISTS = ("epcList", "childEPCs", "inputEPCList", "outputEPCList")


def _unique_lists(data: dict) -> dict:
    """The XSD allows an EPC twice in one list, the JSON binding does not (uniqueItems);
    a repeat says nothing new, so XML input drops it."""
    body = data.get("epcisBody") or {}
    events = body.get("eventList")
    if events is None:
        events = ((body.get("queryResults") or {}).get("resultsBody") or {}).get("eventList") or []
    for event in events:
        for key in _ID_LISTS:
            if isinstance(event.get(key), list):
                event[key] = list(dict.fromkeys(event[key]))
    return data
