"""Validated EPCIS input → canonical `Event`s (EPC URNs, bare CBV words, UTC)."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import UTC

from core.epcis.models import ClassObservation, EpcisEvent, Event, Observation, Party
from core.identifiers import IdentifierError, gs1_check_digit, parse_epc_urn, to_epc_urn
from loaders.epcis import cbv

LOT_KEYS = ("cbvmda:lotNumber", "urn:epcglobal:cbv:mda#lotNumber")
EXPIRY_KEYS = ("cbvmda:itemExpirationDate", "urn:epcglobal:cbv:mda#itemExpirationDate")
IDPAT_SGTIN = "urn:epc:idpat:sgtin:"


class FieldError(ValueError):
    """A value in an event that cannot be accepted; `field` is its JSON path."""

    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def idpat_gtin(pattern: str) -> str:
    """GTIN-14 of a product class pattern `urn:epc:idpat:sgtin:CP.IR.*`."""
    try:
        cp, ir, star = pattern[len(IDPAT_SGTIN):].split(".")
    except ValueError as exc:
        raise IdentifierError(pattern, "uri",
                              "a product class pattern has the form urn:epc:idpat:sgtin:CP.IR.*") from exc
    digits = ir[:1] + cp + ir[1:]
    if star != "*" or not digits.isdigit() or len(digits) != 13:
        raise IdentifierError(pattern, "gtin", "company prefix and item reference must be 13 digits, then .*")
    return digits + gs1_check_digit(digits)


_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")
GS1_RESOLVER = "https://id.gs1.org/"


def opaque_allowed(value: str, exc: IdentifierError) -> bool:
    """EPCIS identifiers are any URIs; we convert the ones we can read to EPC URNs and keep
    the others as given. Not kept: non-URIs, and malformed EPC URNs or id.gs1.org Digital
    Links of supported schemes (check digits, lengths) - those are errors in the data.
    Kept: a Digital Link whose company prefix length is unknown, an EPC scheme we do not
    model (gsrn, gdti, ...), and a Digital Link on another resolver's domain."""
    if not _URI.match(value):
        return False
    if exc.part in ("company_prefix", "scheme"):
        return True
    if value.startswith(("urn:epc:", GS1_RESOLVER)):
        return False
    return value.startswith(("http://", "https://"))


def is_opaque(value: str) -> bool:
    """Kept as given rather than read as an EPC (see opaque_allowed)."""
    if not value.startswith("urn:epc:"):
        return True
    try:
        parse_epc_urn(value)
    except IdentifierError:
        return True
    return False


def opaque_gtin(value: str) -> str | None:
    """GTIN of a Digital Link kept as given (its product, without an EPC URN)."""
    match = _DL_GTIN.search(value)
    return match.group(1) if match else None


_DL_GTIN = re.compile(r"/01/(\d{14})(?:/|$|\?)")


class Canonicaliser:
    """Turns identifiers into canonical EPC URNs, learning company prefixes as it goes."""

    def __init__(self, prefixes: Iterable[str] = ()):
        self.prefixes: set[str] = set(prefixes)
        self._seen: dict[tuple[str, tuple[str, ...]], str] = {}  # the same EPCs recur across events
        self.consulted = False  # a conversion depended on `prefixes` (Document.prefix_bound)

    def learn(self, values: Iterable[str]) -> None:
        for value in set(values):  # an EPC recurs across a document's events: parse it once
            if value.startswith("urn:epc:"):
                try:
                    self.prefixes.add(parse_epc_urn(value).company_prefix)
                except IdentifierError:
                    pass  # reported where the value is used

    def epc(self, value: str, field: str, kinds: tuple[str, ...]) -> str:
        key = (value, kinds)
        if key not in self._seen:
            self._seen[key] = self._convert(value, field, kinds)
        return self._seen[key]

    def epcs(self, values: list[str], field: str, kinds: tuple[str, ...]) -> list[str]:
        """`epc` of each of a list `field`; the path of a value (`field[i]`) is written only for one
        not converted before (only a conversion can fail and name it)."""
        seen = self._seen
        return [seen.get((value, kinds)) or self.epc(value, f"{field}[{i}]", kinds) for i, value in enumerate(values)]

    def _convert(self, value: str, field: str, kinds: tuple[str, ...]) -> str:
        if not value.startswith("urn:epc:"):
            self.consulted = True
        if value.startswith(IDPAT_SGTIN) and "class" in kinds:
            idpat_gtin(value)  # validates
            return value
        try:
            # an EPC URN needs no company prefixes: its canonical form is its parse's, what to_epc_urn
            # returns for it after a GS1 reading (check digit and all) that the URN's form does not use
            urn = parse_epc_urn(value.strip()).urn if value.startswith("urn:epc:") else \
                to_epc_urn(value, company_prefixes=self.prefixes)
            kind = parse_epc_urn(urn).kind
        except IdentifierError as exc:
            if opaque_allowed(value, exc):
                return value
            raise FieldError(field, str(exc)) from exc
        if kind not in kinds:
            raise FieldError(field, f"{value!r} is a {kind} identifier; expected {' or '.join(kinds)}")
        return urn


OBJECT_KINDS = ("serial", "container", "asset")
PLACE_KINDS = ("location",)
PARTY_KINDS = ("party", "location")


def _ilmd_value(ilmd: dict | None, keys: tuple[str, ...]) -> str | None:
    if not ilmd:
        return None
    for key in keys:
        if isinstance(ilmd.get(key), (str, int)):
            return str(ilmd[key])
    return None


def normalise(ev: EpcisEvent, raw: dict, ids: Canonicaliser, event_id: Callable[[dict], str]) -> Event:
    objects: list[Observation] = []
    for field, role in (("epcList", "epc"), ("childEPCs", "child"), ("inputEPCList", "input"),
                        ("outputEPCList", "output")):
        objects += [Observation(epc=epc, role=role) for epc in ids.epcs(getattr(ev, field), field, OBJECT_KINDS)]
    if ev.parentID:
        objects.append(Observation(epc=ids.epc(ev.parentID, "parentID", OBJECT_KINDS), role="parent"))
    # one identifier written twice (a URN and its Digital Link, or an XML repeat) is one observation
    objects = list({(o.epc, o.role): o for o in objects}.values())

    classes: list[ClassObservation] = []
    for field, role in (("quantityList", "epc"), ("childQuantityList", "child"),
                        ("inputQuantityList", "input"), ("outputQuantityList", "output")):
        for i, q in enumerate(getattr(ev, field)):
            epc = ids.epc(q.epcClass, f"{field}[{i}].epcClass", ("class",))
            classes.append(ClassObservation(epc=epc, role=role, quantity=q.quantity, uom=q.uom))

    def place(loc, field):
        return ids.epc(loc.id, f"{field}.id", PLACE_KINDS) if loc else None

    sources = [Party(type=cbv.bare(s.type, "sdt"), epc=ids.epc(s.source, f"sourceList[{i}].source", PARTY_KINDS))
               for i, s in enumerate(ev.sourceList)]
    destinations = [Party(type=cbv.bare(d.type, "sdt"),
                          epc=ids.epc(d.destination, f"destinationList[{i}].destination", PARTY_KINDS))
                    for i, d in enumerate(ev.destinationList)]
    eid = ev.eventID or event_id(raw)
    return Event(
        event_id=eid,
        type=ev.type,
        time=ev.eventTime.astimezone(UTC),
        time_offset=ev.eventTimeZoneOffset,
        action=ev.action,
        biz_step=cbv.bare(ev.bizStep, "bizStep"),
        disposition=cbv.bare(ev.disposition, "disposition"),
        read_point=place(ev.readPoint, "readPoint"),
        biz_location=place(ev.bizLocation, "bizLocation"),
        objects=objects,
        classes=classes,
        sources=sources,
        destinations=destinations,
        transformation_id=ev.transformationID or (eid if ev.type == "TransformationEvent" else None),
        lot_number=_ilmd_value(ev.ilmd, LOT_KEYS),
        expiry=_ilmd_value(ev.ilmd, EXPIRY_KEYS),
        error_declaration=ev.errorDeclaration,
        raw=raw,
    )
