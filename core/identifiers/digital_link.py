"""GS1 Digital Link URIs (GS1 Digital Link standard: URI syntax 1.x).

biip's `GS1DigitalLinkURI` validates values but not the URI rules tested by the GS1
syntax engine: it takes the leftmost key in a path stem, knows no convenience
short names ("/gtin/", "/ser/"), allows (235) after (21), accepts qualifiers and
repeated AIs in the query string, and ignores unknown numeric parameters. So the
URI grammar is hand-written here; each AI value still goes through biip. Not checked:
the syntax dictionary's list of AIs allowed as data attributes (e.g. (8200) is not).
"""
from __future__ import annotations

import re
import string
from urllib.parse import quote, quote_plus

from biip.gs1_application_identifiers import GS1ApplicationIdentifier

from core.identifiers.errors import IdentifierError
from core.identifiers.gs1 import (
    UNSUPPORTED_KEYS,
    Gs1Element,
    check_associations,
    dedupe,
    validate_element,
)

CANONICAL_STEM = "https://id.gs1.org"

# Primary keys and their alternative, ordered qualifier sequences.
PRIMARY_KEYS: dict[str, tuple[tuple[str, ...], ...]] = {
    "01": (("22", "10", "21"), ("235",)),
    "8006": (("22", "10", "21"),),
    "8013": ((),),
    "8010": (("8011",),),
    "414": (("254",), ("7040",)),
    "415": (("8020",),),
    "417": (("7040",),),
    "255": ((),),
    "00": ((),),
    "253": ((),),
    "401": ((),),
    "402": ((),),
    "8003": ((),),
    "8004": (("7040",),),
    "8017": (("8019",),),
    "8018": (("8019",),),
}

# Convenience alphas of Digital Link 1.0/1.1 path segments (still met in the field).
SHORT_NAMES = {
    "gtin": "01", "itip": "8006", "gmn": "8013", "cpid": "8010", "cpsn": "8011", "gln": "414",
    "party": "417", "payTo": "415", "glnx": "254", "gsrn": "8018", "gsrnp": "8017", "srin": "8019",
    "gdti": "253", "ginc": "401", "gsin": "402", "gcn": "255", "sscc": "00", "grai": "8003",
    "giai": "8004", "cpv": "22", "lot": "10", "ser": "21", "refNo": "8020",
}

_URI_CHARS = frozenset(string.ascii_letters + string.digits + "-._~:/?#[]@!$&'()*+,;=%")
_SCHEME = re.compile(r"(https?|HTTPS?)://")
_HOST = re.compile(r"(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*)(?::[0-9]{1,5})?")
_HEX = re.compile(r"%([0-9A-Fa-f]{2})")


def uri_unescape(value: str, *, query: bool = False) -> str:
    """Percent-decoding as GS1 does it: malformed "%" sequences stay literal; "+" is a space in a query."""
    if query:
        value = value.replace("+", " ")
    return _HEX.sub(lambda m: chr(int(m.group(1), 16)), value)


def uri_escape(value: str, *, query: bool = False) -> str:
    """Escape everything but RFC 3986 unreserved characters ("+" for space in a query)."""
    return quote_plus(value, safe="") if query else quote(value, safe="")


def _ai_of(segment: str) -> str:
    return SHORT_NAMES.get(segment, segment)


def _rightmost_key(segments: list[str]) -> int | None:
    for i in range(len(segments) - 2, -1, -2):
        if _ai_of(segments[i]) in PRIMARY_KEYS:
            return i
    return None


def sniff_unsupported(uri: str) -> None:
    """Name an unsupported GS1 key before URI details, even in a sloppy URI."""
    m = _SCHEME.match(uri)
    if not m:
        return
    rest = re.split(r"[?#]", uri[m.end():], maxsplit=1)[0]
    segments = rest.split("/")[1:]
    i = _rightmost_key(segments)
    if i is None:  # odd layout (e.g. a raw "#" or "/" in a value): any key-like segment will do
        i = next((j for j in range(len(segments) - 2, -1, -1) if _ai_of(segments[j]) in PRIMARY_KEYS), None)
    if i is None:
        return
    ai = _ai_of(segments[i])
    if ai in UNSUPPORTED_KEYS:
        raise IdentifierError(
            uri, "scheme", f"AI ({ai}) {UNSUPPORTED_KEYS[ai]} is a GS1 key this service does not support"
        )
    if ai == "01" and any(_ai_of(s) == "235" for s in segments[i + 2::2]):
        raise IdentifierError(uri, "scheme", "GTIN + TPX (235), the EPC upui scheme, is not supported")


def parse_digital_link(uri: str) -> tuple[list[Gs1Element], str]:
    """Elements of a Digital Link URI (path first, then query) and the primary key AI."""
    m = _SCHEME.match(uri)
    if not m:
        raise IdentifierError(uri, "uri", "a GS1 Digital Link starts with http:// or https://")
    bad = next((ch for ch in uri if ch not in _URI_CHARS), None)
    if bad is not None:
        raise IdentifierError(uri, "uri", f"character {bad!r} is not allowed in a URI; it must be %-escaped")
    rest = uri[m.end():]
    cut = min((i for i in (rest.find("/"), rest.find("?"), rest.find("#")) if i >= 0), default=len(rest))
    host, rest = rest[:cut], rest[cut:]
    if not _HOST.fullmatch(host):
        raise IdentifierError(uri, "uri", f"{host!r} is not a valid host name")
    rest = rest.split("#", 1)[0]
    path, _, query = rest.partition("?")
    if not path.startswith("/") or path == "/":
        raise IdentifierError(uri, "uri", "the path carries no GS1 key")
    segments = path[1:].split("/")
    if "" in segments:
        raise IdentifierError(uri, "uri", "the path has an empty segment (a doubled or trailing '/')")
    start = _rightmost_key(segments)
    if start is None:
        raise IdentifierError(uri, "uri", "no GS1 primary key (like /01/ or /00/) followed by its value in the path")
    primary = _ai_of(segments[start])
    path_els = [
        Gs1Element(_ai_of(segments[i]), uri_unescape(segments[i + 1])) for i in range(start, len(segments), 2)
    ]
    _check_qualifiers(primary, [el.ai for el in path_els[1:]], uri)
    query_els = _query_elements(query, primary, [el.ai for el in path_els[1:]], uri)
    elements = [_pad_gtin(el) for el in path_els + query_els]
    for el in elements:
        validate_element(el.ai, el.value, uri)
    check_associations(elements, uri)
    return elements, primary


def _pad_gtin(el: Gs1Element) -> Gs1Element:
    # Zero-suppressed GTIN-8/12/13 in a URI stand for the GTIN-14 with leading zeros.
    if el.ai == "01" and len(el.value) in (8, 12, 13) and el.value.isdigit():
        return Gs1Element("01", el.value.zfill(14))
    return el


def _check_qualifiers(primary: str, quals: list[str], uri: str) -> None:
    for seq in PRIMARY_KEYS[primary]:
        pos = -1
        for q in quals:
            try:
                pos = seq.index(q, pos + 1)
            except ValueError:
                break
        else:
            return
    allowed = " | ".join("/".join(seq) for seq in PRIMARY_KEYS[primary] if seq) or "none"
    raise IdentifierError(
        uri, "uri", f"path qualifiers {'/'.join(quals)} are not valid after ({primary}); allowed in order: {allowed}"
    )


def _query_elements(query: str, primary: str, path_quals: list[str], uri: str) -> list[Gs1Element]:
    # Qualifiers of the sequence in use (of every sequence if the path has none) must be in the path.
    seqs = [seq for seq in PRIMARY_KEYS[primary] if set(path_quals) <= set(seq)]
    reserved = {primary, *(q for seq in seqs for q in seq)}
    out: list[Gs1Element] = []
    for param in query.split("&"):
        if "=" not in param:
            continue  # empty or a singleton: not GS1 data
        key, value = param.split("=", 1)
        key = uri_unescape(key, query=True)
        if not key.isdigit():
            continue  # non-GS1 parameters are ignored by the standard
        if key in reserved:
            raise IdentifierError(uri, "uri", f"AI ({key}) belongs in the path, not the query string")
        if any(el.ai == key for el in out):
            raise IdentifierError(uri, "uri", f"AI ({key}) is repeated in the query string")
        out.append(Gs1Element(key, uri_unescape(value, query=True)))
    return out


def format_digital_link(elements, stem: str = CANONICAL_STEM) -> str:
    """Digital Link URI: the first primary key and its qualifiers in the path, the rest as query."""
    shown = "".join(f"({el.ai}){el.value}" for el in elements)
    elements = dedupe(list(elements), shown)
    primary = next((el for el in elements if el.ai in PRIMARY_KEYS), None)
    if primary is None:
        raise IdentifierError(shown, "scheme", "no GS1 primary key to put in the path")
    present = {el.ai for el in elements}
    seqs = [seq for seq in PRIMARY_KEYS[primary.ai] if present.intersection(seq)]
    if len(seqs) > 1:
        raise IdentifierError(shown, "uri", f"qualifiers of ({primary.ai}) from different sequences cannot be combined")
    seq = seqs[0] if seqs else ()
    # A qualifier of the other sequence cannot ride along as a data attribute either.
    stray = sorted(({q for s in PRIMARY_KEYS[primary.ai] for q in s} - set(seq)) & present)
    if stray:
        raise IdentifierError(shown, "uri", f"AI ({stray[0]}) cannot be a data attribute of ({primary.ai})")
    path = f"/{primary.ai}/{uri_escape(primary.value)}"
    for q in seq:
        el = next((e for e in elements if e.ai == q), None)
        if el is not None:
            path += f"/{q}/{uri_escape(el.value)}"
    attrs = [el for el in elements if el is not primary and el.ai not in seq]
    # Predefined-length AIs first, like the GS1 syntax engine's generator.
    attrs.sort(key=lambda el: GS1ApplicationIdentifier.extract(el.ai + el.value).separator_required)
    query = "&".join(f"{el.ai}={uri_escape(el.value, query=True)}" for el in attrs)
    return stem.rstrip("/") + path + (f"?{query}" if query else "")
