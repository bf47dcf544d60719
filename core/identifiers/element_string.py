"""GS1 element strings as typed or scanned: bracketed "(01)...(21)...", FNC1/GS
separated, and scanner output with an AIM symbology identifier ("]d2", "]Q3", ...).

biip parses the FNC1 form (`GS1Message`). Written here: the bracketed parser (biip's
`parse_hri` skips text it cannot match and cannot carry "(" inside a value), the
symbology identifier table, composite "|" scans, and the formatting.
"""
from __future__ import annotations

import re

from biip import ParseError
from biip.gs1_application_identifiers import GS1ApplicationIdentifier
from biip.gs1_messages import GS1Message

from core.identifiers.checkdigit import verify_gs1_check_digit
from core.identifiers.errors import IdentifierError
from core.identifiers.gs1 import Gs1Element, validate_element

GS = "\x1d"
_AI = re.compile(r"\((\d*)\)")


def parse_bracketed(value: str) -> list[Gs1Element]:
    """`(01)09506000134352(10)AB\\(1)` -> elements; "\\(" is a literal "(" in a value."""
    if not value.startswith("("):
        raise IdentifierError(value, "element_string", "a bracketed element string starts with '(' and an AI")
    out: list[Gs1Element] = []
    i = 0
    while i < len(value):
        m = _AI.match(value, i)
        if not m:
            raise IdentifierError(value, "element_string", f"expected '(AI)' at position {i + 1}")
        ai = m.group(1)
        if not 2 <= len(ai) <= 4:
            raise IdentifierError(value, "ai", f"({ai}) is not an AI: AIs have 2 to 4 digits")
        i = m.end()
        data: list[str] = []
        while i < len(value) and value[i] != "(":
            if value.startswith("\\(", i):
                data.append("(")
                i += 2
            else:
                data.append(value[i])
                i += 1
        out.append(Gs1Element(ai, "".join(data)))
    for el in out:
        validate_element(el.ai, el.value, value)
    return out


def parse_fnc1(value: str, whole: str | None = None) -> list[Gs1Element]:
    """Element string with GS (0x1D) after variable-length fields, as scanners send it."""
    whole = value if whole is None else whole
    if not value.strip(GS):
        raise IdentifierError(whole, "element_string", "no GS1 data")
    try:
        msg = GS1Message.parse(value.lstrip(GS))
    except ParseError as exc:
        raise IdentifierError(whole, "element_string", _fnc1_reason(str(exc))) from exc
    out = [Gs1Element(es.ai.ai, es.value) for es in msg.element_strings]
    for el in out:
        validate_element(el.ai, el.value, whole)
    return out


def _fnc1_reason(msg: str) -> str:
    m = re.search(r"Failed to get GS1 Application Identifier from '(.*)'", msg)
    if m:
        return f"no GS1 Application Identifier at {m.group(1)[:20]!r}"
    m = re.search(r"Failed to match '(.*)' with GS1 AI \((\d+)\)", msg)
    if m:
        return f"the data {m.group(1)[len(m.group(2)):][:30]!r} does not fit AI ({m.group(2)})"
    return msg.rstrip(".")


# AIM symbology identifiers (ISO/IEC 15424) that announce GS1 element strings, and the
# EAN/UPC/ITF ones that carry a bare GTIN. Our own table: biip 5.2 has no DotCode ("]J").
GS1_MODES = frozenset({"]C1", "]e0", "]e1", "]e2", "]d2", "]Q3", "]J1"})
GTIN_MODES = {"]E0": 13, "]E3": 13, "]E4": 8, "]I1": 14}


def split_symbology(value: str) -> tuple[str, str]:
    """("]d2", rest) for scanner output; the identifier is "]", a letter and a modifier."""
    if len(value) < 3 or not value[1].isalpha():
        raise IdentifierError(value, "symbology", "an AIM symbology identifier is ']' plus two characters")
    return value[:3], value[3:]


def parse_scan(value: str) -> tuple[str, list[Gs1Element] | str]:
    """Scanner output -> ("elements", [...]) for GS1 data, or ("text", data) for plain data
    (a Digital Link in a plain QR/DataMatrix is returned as text for the caller to parse)."""
    si, data = split_symbology(value)
    if "|" in data and (si in GTIN_MODES or "|]e0" in data):
        # Linear symbol + 2D composite component, joined by "|" (gs1-syntax-engine convention).
        head, _, tail = data.partition("|")
        first = parse_scan(si + head)
        if first[0] != "elements":
            raise IdentifierError(value, "element_string", "a composite component needs GS1 data before '|'")
        comp = tail[3:] if tail.startswith("]e0") else tail
        return "elements", [*first[1], *parse_fnc1(comp, value)]
    if si in GS1_MODES:
        return "elements", parse_fnc1(data, value)
    if si in GTIN_MODES:
        size = GTIN_MODES[si]
        if len(data) != size or not data.isdigit() or not data.isascii():
            raise IdentifierError(value, "gtin", f"{si} carries {size} digits, got {data!r}")
        verify_gs1_check_digit(data, "gtin", whole=value)
        return "elements", [Gs1Element("01", data.zfill(14))]
    if not data:
        raise IdentifierError(value, "element_string", "the scan carries no data")
    return "text", data


def escape_bracketed(value: str) -> str:
    return value.replace("(", "\\(")


def format_bracketed(elements) -> str:
    return "".join(f"({el.ai}){escape_bracketed(el.value)}" for el in elements)


def format_fnc1(elements, *, gs: str = GS) -> str:
    """Unbracketed form: GS after each variable-length field except the last."""
    parts: list[str] = []
    for i, el in enumerate(elements):
        parts.append(el.ai + el.value)
        last = i == len(elements) - 1
        if not last and GS1ApplicationIdentifier.extract(el.ai + el.value).separator_required:
            parts.append(gs)
    return "".join(parts)
