"""One entry point per output form, whatever the input form.

Inputs: EPC URN, GS1 Digital Link, GS1 element string (bracketed, FNC1/GS separated,
or scanner output with an AIM symbology identifier), a bare GTIN-8/12/13/14 or SSCC,
and (for `parse_identifier`) HIBCC codes. All GS1 forms meet in a `Gs1Id`; only the
EPC URN needs the company prefix length on top.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from biip.gs1_element_strings import GS1ElementString

from core.identifiers.checkdigit import gs1_check_digit, verify_gs1_check_digit
from core.identifiers.digital_link import (
    format_digital_link,
    parse_digital_link,
    sniff_unsupported,
)
from core.identifiers.element_string import (
    format_bracketed,
    parse_bracketed,
    parse_fnc1,
    parse_scan,
)
from core.identifiers.epc import (
    CompanyPrefixes,
    EpcId,
    company_prefix_length,
    epc_from_gs1,
    parse_epc_urn,
)
from core.identifiers.errors import IdentifierError
from core.identifiers.gs1 import (
    SUPPORTED_KEYS,
    Gs1Element,
    Gs1Id,
    check_associations,
    dedupe,
    identity_of,
)
from core.identifiers.hibcc import HibccUdi, parse_hibcc, strip_decoration

_NUMERIC = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class _Reading:
    gs1: Gs1Id | None = None
    elements: tuple[Gs1Element, ...] = ()
    epc: EpcId | None = None
    hibcc: HibccUdi | None = None


def _read(value: object) -> _Reading:
    if not isinstance(value, str):
        raise IdentifierError(value, "input", f"an identifier must be a string, not {type(value).__name__}")
    if strip_decoration(value).startswith("+"):
        return _Reading(hibcc=parse_hibcc(value))
    if value.strip().startswith("urn:"):
        epc = parse_epc_urn(value.strip())
        gs1 = epc.to_gs1()
        return _Reading(gs1=gs1, elements=gs1.elements, epc=epc)
    elements, primary = _elements(value)
    return _Reading(gs1=identity_of(elements, value, primary), elements=tuple(elements))


def gs1_elements(value: str) -> list[Gs1Element]:
    """All GS1 element strings in a Digital Link, element string or scan (deduplicated,
    pairing rules checked), or the identity elements of an EPC URN. A Digital Link whose
    query string is invalid is read without it."""
    if isinstance(value, str) and value.strip().startswith("urn:"):
        return list(parse_epc_urn(value.strip()).to_gs1().elements)
    return _elements(value)[0]


def _elements(value: object) -> tuple[list[Gs1Element], str | None]:
    if not isinstance(value, str):
        raise IdentifierError(value, "input", f"an identifier must be a string, not {type(value).__name__}")
    text = value.strip(" \t\r\n\v\f")  # not GS (0x1D): a leading one is FNC1, i.e. GS1 data
    if not text:
        raise IdentifierError(value, "input", "the identifier is empty")
    primary = None
    if text.startswith("]"):
        kind, data = parse_scan(text)
        if kind == "text":
            if not data.lower().startswith(("http://", "https://")):
                raise IdentifierError(value, "input", "the scan holds plain text, not GS1 data or a Digital Link")
            return _elements(data)
        elements = data
        check_associations(elements, value)
    elif text.lower().startswith(("http://", "https://")):
        sniff_unsupported(text)
        try:
            elements, primary = parse_digital_link(text)
        except IdentifierError:
            # Query strings do not change the identity: a broken one must not hide the key.
            path_only = text.split("?", 1)[0].split("#", 1)[0]
            if path_only == text.split("#", 1)[0]:
                raise
            elements, primary = parse_digital_link(path_only)
    elif text.startswith("("):
        elements = parse_bracketed(text)
        check_associations(elements, value)
    elif text[0] == "\x1d":
        elements = parse_fnc1(text, value)
        check_associations(elements, value)
    elif text[0].isdigit():
        elements = _digits_only(text, value) if _NUMERIC.fullmatch(text) else parse_fnc1(text, value)
        check_associations(elements, value)
    else:
        raise IdentifierError(
            value, "input", "not an EPC URN, GS1 Digital Link, GS1 element string or HIBCC code"
        )
    return dedupe(list(elements), value), primary


def _digits_only(text: str, value: str) -> list[Gs1Element]:
    """Digits only. As long as a GTIN-8/12/13/14 or an SSCC with a valid check digit: that
    key. Else an element string (e.g. "0109506000134352") if it names a supported key; else
    the check-digit error of the key it most likely was."""
    is_key = len(text) in (8, 12, 13, 14, 18)
    ai = "00" if len(text) == 18 else "01"
    if is_key and text[-1] == gs1_check_digit(text[:-1]):
        return [Gs1Element(ai, text if ai == "00" else text.zfill(14))]
    if not is_key:
        return parse_fnc1(text, value)
    try:
        elements = parse_fnc1(text, value)
    except IdentifierError:
        elements = []
    if not any(el.ai in SUPPORTED_KEYS for el in elements):
        verify_gs1_check_digit(text, "sscc" if ai == "00" else "gtin", whole=value)
    return elements


def _gs1_only(r: _Reading, value: object) -> Gs1Id:
    if r.gs1 is None:
        raise IdentifierError(value, "scheme", "an HIBCC UDI has no GS1 or EPC form")
    return r.gs1


def to_epc_urn(
    value: str, company_prefixes: CompanyPrefixes = None, gcp_length: int | None = None
) -> str:
    """Canonical EPC URN of any accepted input. GS1 keys need the company prefix length:
    `gcp_length`, else `company_prefixes` (known prefixes, longest match wins, or a function
    from the key's prefix digits to a length or None). A bare GTIN or a Digital Link with no
    serial or lot gives the product-class pattern `urn:epc:idpat:sgtin:CP.IR.*`."""
    return _urn(_read(value), value, company_prefixes, gcp_length)


def _urn(r: _Reading, value: object, company_prefixes: CompanyPrefixes, gcp_length: int | None) -> str:
    if r.epc is not None:
        return r.epc.urn
    gs1 = _gs1_only(r, value)
    length = company_prefix_length(gs1, value, company_prefixes, gcp_length)
    return epc_from_gs1(gs1, length, value).urn


def to_digital_link(value: str) -> str:
    """Canonical `https://id.gs1.org/...` URI of the identity (key + serial, lot or extension)."""
    return format_digital_link(_gs1_only(_read(value), value).elements)


def to_element_string(value: str) -> str:
    """Bracketed element string of the identity, e.g. `(01)09506000134352(21)ABC`
    (a "(" inside a value is written "\\(", as the GS1 syntax engine does)."""
    return format_bracketed(_gs1_only(_read(value), value).elements)


def _kind(gs1: Gs1Id) -> str:
    if gs1.key_ai == "01":
        return "serial" if gs1.qualifier("21") is not None else "class"
    if gs1.key_ai == "8003":
        return "asset" if len(gs1.key) > 14 else "class"
    return {"00": "container", "414": "location", "417": "party", "8004": "asset"}[gs1.key_ai]


def _date(ai: str, value: str | None) -> str | None:
    if value is None:
        return None
    d = GS1ElementString.parse(ai + value).date
    return d.isoformat() if d else None


def parse_identifier(value: str, company_prefixes: CompanyPrefixes = None) -> dict:
    """Every form derivable from `value`; a form that cannot be derived is None, and
    `errors` says why for the EPC URN (usually an unknown company prefix length)."""
    r = _read(value)
    out: dict = {"input": value, "kind": None, "epc_urn": None, "digital_link": None,
                 "element_string": None, "gs1": None, "hibcc": None, "errors": {}}
    if r.hibcc is not None:
        out["kind"] = r.hibcc.kind
        out["hibcc"] = r.hibcc.as_dict()
        return out
    gs1 = r.gs1
    out["kind"] = r.epc.kind if r.epc is not None else _kind(gs1)
    try:
        out["epc_urn"] = _urn(r, value, company_prefixes, None)
    except IdentifierError as exc:
        out["errors"]["epc_urn"] = str(exc)
    out["digital_link"] = format_digital_link(gs1.elements)
    out["element_string"] = format_bracketed(gs1.elements)
    data = {el.ai: el.value for el in r.elements}
    out["gs1"] = {
        "gtin": data.get("01"),
        "serial": data.get("21"),
        "lot": data.get("10"),
        "expiry": _date("17", data.get("17")),
        "production_date": _date("11", data.get("11")),
        "sscc": data.get("00"),
        "gln": data.get("414"),
        "gln_extension": data.get("254"),
        "party_gln": data.get("417"),
        "grai": data.get("8003"),
        "giai": data.get("8004"),
    }
    return out
