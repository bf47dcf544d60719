"""Read one EPCIS 2.0 JSON-LD document into canonical events and master data.

Nothing is written here: a document is parsed and validated whole first, so a
bad one can be refused before the database sees any of it.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from pydantic import ValidationError

from loaders.epcis import masterdata
from loaders.epcis.models import EpcisDocumentHead, EpcisEvent, Event, Vocabulary
from loaders.epcis.normalize import Canonicaliser, FieldError, idpat_gtin, normalise
from tracegraph.identifiers import IdentifierError


class LoadError(ValueError):
    """Why a document was refused: the file, the event index (if any), the field."""

    def __init__(self, source: str, field: str, reason: str, index: int | None = None):
        self.source, self.field, self.reason, self.index = source, field, reason, index
        where = f"event {index}: " if index is not None else ""
        super().__init__(f"{source}: {where}{field}: {reason}")


@dataclass
class Document:
    source: str
    digest: str
    events: list[Event]
    parties: list[tuple[str, dict]] = field(default_factory=list)
    sites: list[tuple[str, dict]] = field(default_factory=list)
    products: list[tuple[str, dict]] = field(default_factory=list)  # (gtin, attributes)
    prefixes: set[str] = field(default_factory=set)


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


def parse_document(data: dict, source: str, known_prefixes=(), digest: str | None = None) -> Document:
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

    ids = Canonicaliser(known_prefixes)
    ids.learn(_all_identifiers(events_raw, vocabularies))
    hash_id = _hash_id(_context_namespaces(data.get("@context")))
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
            if events_raw[seen[event.event_id]] != raw:
                raise LoadError(source, "eventID", f"{event.event_id} is used by event {seen[event.event_id]} "
                                "with different content", index=i)
            continue
        seen[event.event_id] = i
        events.append(event)

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
                    sites=sites, products=products, prefixes=ids.prefixes)


def _all_identifiers(events_raw: list, vocabularies: list[Vocabulary]):
    for raw in events_raw:
        if not isinstance(raw, dict):
            continue
        for key in ("epcList", "childEPCs", "inputEPCList", "outputEPCList"):
            if isinstance(raw.get(key), list):
                yield from (v for v in raw[key] if isinstance(v, str))
        if isinstance(raw.get("parentID"), str):
            yield raw["parentID"]
    for vocabulary in vocabularies:
        yield from (e.id for e in vocabulary.vocabularyElementList)


def _digest(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def read_file(path, known_prefixes=()) -> Document:
    """Parse a JSON-LD file (XML support arrives with loaders.epcis.xml)."""
    source = str(path)
    try:
        raw_bytes = open(path, "rb").read()
    except OSError as exc:
        raise LoadError(source, "$", f"cannot read file: {exc.strerror}") from exc
    try:
        data = json.loads(raw_bytes)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise LoadError(source, "$", f"not valid JSON: {exc}") from exc
    return parse_document(data, source, known_prefixes, digest=hashlib.sha256(raw_bytes).hexdigest())
