"""GS1 element strings: validation of single AIs and of their combinations, and
the GS1 key (the identity) a set of element strings carries.

biip does the per-AI work (format regexes, GTIN/SSCC/GLN check digits, dates).
Hand-written here: check digits of the other keys biip does not verify (GRAI, GDTI,
...), the AI pairing rules of the GS1 General Specifications §4.13 for the AIs
this package interprets (biip has none), and the choice of identity.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from biip import ParseError
from biip.gs1_application_identifiers import GS1ApplicationIdentifier
from biip.gs1_element_strings import GS1ElementString

from core.identifiers.charset import first_non_cset82
from core.identifiers.checkdigit import verify_gs1_check_digit
from core.identifiers.errors import IdentifierError


class Gs1Element(NamedTuple):
    ai: str
    value: str


# Which `part` an error in an AI's value names.
_PARTS = {
    "00": "sscc", "01": "gtin", "02": "gtin", "03": "gtin", "10": "lot", "11": "production_date",
    "17": "expiry", "21": "serial", "22": "cpv", "235": "tpx", "240": "additional_id",
    "250": "secondary_serial", "254": "extension", "414": "gln", "417": "gln", "8003": "grai",
    "8004": "giai",
}

_DATE_AIS = frozenset({"11", "12", "13", "15", "16", "17"})

# Keys whose check digit biip does not verify: AI -> (start, end) of the digits incl. check digit.
_CSUM_SPANS = {
    "8003": (1, 14), "253": (0, 13), "255": (0, 13), "402": (0, 17), "8006": (0, 14),
    "8017": (0, 18), "8018": (0, 18),
}

# GS1 keys this package turns into EPCs, and the GS1 keys it does not (EPC scheme names).
SUPPORTED_KEYS = ("00", "01", "8003", "8004", "414", "417")
UNSUPPORTED_KEYS = {
    "8006": "itip", "253": "gdti", "255": "sgcn", "401": "ginc", "402": "gsin", "8010": "cpi",
    "8017": "gsrnp", "8018": "gsrn", "8013": "gmn", "415": "pay-to GLN", "02": "content GTIN",
    "03": "MTO GTIN",
}

# AI pairing rules (GS1 GenSpecs §4.13) for the AIs this package reads, and for (02)/(37)
# that go with an SSCC. Each entry of
# REQUIRES is a list of lines that must all hold; a line holds if one of its AIs is present.
REQUIRES: dict[str, list[tuple[str, ...]]] = {
    "02": [("37",)],
    "37": [("00",), ("02", "8026")],
    "10": [("01", "02", "03", "8006", "8026")],
    "11": [("01", "02", "03", "8006", "8026")],
    "17": [("01", "02", "03", "255", "8006", "8026")],
    "21": [("01", "03", "8006")],
    "22": [("01",)],
    "235": [("01",)],
    "240": [("01", "02", "8006", "8026")],
    "250": [("01", "8006"), ("21",)],
    "254": [("414",)],
}
EXCLUDES: dict[str, tuple[str, ...]] = {
    "01": ("02", "03", "255", "37"),
    "02": ("01", "03"),
    "21": ("235",),
}


def part_for_ai(ai: str) -> str:
    return _PARTS.get(ai, f"ai_{ai}")


def _describe_format(fmt: str) -> str:
    # biip formats look like "N2+X..20" or "N4+N14[+X..16]"; drop the AI's own "N2+".
    body = fmt.split("+", 1)[1] if "+" in fmt else fmt
    return f"the format {body} (N = digit, X = GS1 character set 82)"


def validate_element(ai: str, value: str, whole: str) -> GS1ElementString:
    """Parse one AI value with biip and verify every check digit it carries."""
    part = part_for_ai(ai)
    if not value:
        raise IdentifierError(whole, part, f"AI ({ai}) has an empty value")
    try:
        es = GS1ElementString.parse(ai + value)
    except ParseError as exc:
        if "Failed to get GS1 Application Identifier" in str(exc):
            raise IdentifierError(whole, "ai", f"({ai}) is not a GS1 Application Identifier") from exc
        bad = first_non_cset82(value)
        if bad >= 0:
            raise IdentifierError(
                whole, part, f"character {value[bad]!r} in AI ({ai}) is not in the GS1 character set 82"
            ) from exc
        if "date" in str(exc) or (ai in _DATE_AIS and len(value) == 6 and value.isdigit()):
            raise IdentifierError(whole, part, f"AI ({ai}) value {value!r} is not a valid YYMMDD date") from exc
        fmt = GS1ApplicationIdentifier.extract(ai + value).format
        raise IdentifierError(whole, part, f"AI ({ai}) value {value!r} does not fit {_describe_format(fmt)}") from exc
    if es.ai.ai != ai:
        # biip matched a shorter AI that prefixes this one, so `ai` itself is unknown.
        raise IdentifierError(whole, "ai", f"({ai}) is not a GS1 Application Identifier")
    for err in (es.gtin_error, es.sscc_error, es.gln_error):
        if err:
            if "check digit" in err:
                raise IdentifierError(whole, "check_digit", f"AI ({ai}) {value}: {_biip_reason(err)}")
            raise IdentifierError(whole, part, f"AI ({ai}) {value}: {_biip_reason(err)}")
    if ai in _CSUM_SPANS:
        start, end = _CSUM_SPANS[ai]
        verify_gs1_check_digit(value[start:end], part, whole=whole)
    return es


def _biip_reason(msg: str) -> str:
    # biip says "Invalid GTIN check digit for '...': Expected 4, got 7."
    m = re.search(r"[Ee]xpected (\d), got (\d)", msg)
    if m and "check digit" in msg:
        return f"the check digit should be {m.group(1)}, not {m.group(2)}"
    return msg.rstrip(".")


def dedupe(elements: list[Gs1Element], whole: str) -> list[Gs1Element]:
    """Drop identical repeats; a repeated AI with a different value is an error."""
    seen: dict[str, str] = {}
    out: list[Gs1Element] = []
    for el in elements:
        if el.ai in seen:
            if seen[el.ai] != el.value:
                raise IdentifierError(
                    whole, part_for_ai(el.ai), f"AI ({el.ai}) appears twice with different values"
                )
            continue
        seen[el.ai] = el.value
        out.append(el)
    return out


def check_associations(elements: list[Gs1Element], whole: str) -> None:
    """Repeats, mutually exclusive AIs and mandatory companions (for the AIs in REQUIRES/EXCLUDES)."""
    present = {el.ai for el in dedupe(elements, whole)}
    for ai in present:
        for other in EXCLUDES.get(ai, ()):
            if other in present:
                raise IdentifierError(whole, part_for_ai(ai), f"AI ({ai}) cannot be used together with ({other})")
        for line in REQUIRES.get(ai, ()):
            if not present.intersection(line):
                need = " or ".join(f"({a})" for a in line)
                raise IdentifierError(whole, part_for_ai(ai), f"AI ({ai}) needs {need} in the same data")


@dataclass(frozen=True)
class Gs1Id:
    """A GS1 key with the qualifiers that make it an EPC identity (no company-prefix split)."""

    key_ai: str
    key: str
    qualifiers: tuple[Gs1Element, ...] = ()

    @property
    def elements(self) -> tuple[Gs1Element, ...]:
        return (Gs1Element(self.key_ai, self.key), *self.qualifiers)

    def qualifier(self, ai: str) -> str | None:
        return next((q.value for q in self.qualifiers if q.ai == ai), None)


def identity_of(elements: list[Gs1Element], whole: str, primary: str | None = None) -> Gs1Id:
    """The identity an EPC can name: serial beats lot for a GTIN; other data is dropped.

    `primary` is the Digital Link path key, which decides when several keys are present.
    """
    by_ai = {el.ai: el.value for el in elements}
    if primary is None:
        primary = next((ai for ai in SUPPORTED_KEYS if ai in by_ai), None)
        if primary is None:
            primary = next((el.ai for el in elements if el.ai in UNSUPPORTED_KEYS), None)
    if primary in UNSUPPORTED_KEYS:
        raise IdentifierError(
            whole, "scheme", f"AI ({primary}) {UNSUPPORTED_KEYS[primary]} is a GS1 key this service does not support"
        )
    if primary is None:
        raise IdentifierError(
            whole, "scheme", "no supported GS1 key found; expected one of (00) SSCC, (01) GTIN, "
            "(414) or (417) GLN, (8003) GRAI, (8004) GIAI"
        )
    key = by_ai[primary]
    if primary == "01":
        if "235" in by_ai:
            raise IdentifierError(whole, "scheme", "GTIN + TPX (235), the EPC upui scheme, is not supported")
        if "21" in by_ai:
            return Gs1Id("01", key, (Gs1Element("21", by_ai["21"]),))
        if "10" in by_ai:
            return Gs1Id("01", key, (Gs1Element("10", by_ai["10"]),))
        return Gs1Id("01", key)
    if primary == "414" and "254" in by_ai and by_ai["254"] != "0":
        return Gs1Id("414", key, (Gs1Element("254", by_ai["254"]),))
    return Gs1Id(primary, key)
