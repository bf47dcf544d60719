"""GS1 identifier canonicalisation for the EPCIS event hash (CBV 2.0, "Event Hash ID").

Two entry points:

* :func:`epc_uri_to_dl` converts an EPC pure-identity URN (``urn:epc:id:...``), an EPC class URN
  (``urn:epc:class:lgtin:...``) or an EPC id pattern (``urn:epc:idpat:...``) to the canonical
  GS1 Digital Link URI (``https://id.gs1.org/...``).
* :func:`canonical_dl` reduces any GS1 Digital Link URI (any domain, short names such as ``gtin``/``ser``,
  GTIN-8/12/13, query string, CPV/lot qualifiers) to the *constrained* canonical form the hash algorithm
  uses: ``https://id.gs1.org`` + primary key + only the most fine-granular key qualifiers.

:func:`canonical_identifier` tries both and returns ``None`` for anything that is not a GS1 identifier.

AI values are percent-encoded canonically: escapes are decoded first, then every character outside
``A-Z a-z 0-9 - . _ ' ; =`` is written as an upper-case ``%XX`` escape (so ``!`` ``(`` ``)`` ``*`` ``+`` ``,`` ``:``
``"`` ``%`` ``&`` ``/`` ``<`` ``>`` ``?`` ``#`` are escaped).  This is the form the reference implementation produces
for every EPC URN in its test vectors.
"""
from __future__ import annotations

import re
from urllib.parse import unquote

__all__ = ["canonical_identifier", "epc_uri_to_dl", "canonical_dl", "gs1_check_digit"]

DL_CANONICAL_HOST = "https://id.gs1.org"

# characters kept literally in a canonical AI value (everything else is %-escaped)
_DL_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._';=")

# GS1 AI character set 82 (the characters an AI value may contain), and EPC URN escapes
_CSET82 = frozenset("!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz")
_CSET39 = frozenset("#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_PCT = re.compile(r"%[0-9A-Fa-f]{2}")


def gs1_check_digit(digits: str) -> str:
    """GS1 mod-10 check digit for a digit string given without its check digit."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        total += int(ch) * (3 if i % 2 == 0 else 1)
    return str((10 - total % 10) % 10)


def _decode(value: str) -> str | None:
    """Undo %-escapes; None if a '%' is not a valid escape."""
    if "%" not in value:
        return value
    if "%" in _PCT.sub("", value):
        return None
    try:
        return unquote(value, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        return None


def _encode(value: str) -> str:
    return "".join(c if c in _DL_SAFE else "".join(f"%{b:02X}" for b in c.encode("utf-8")) for c in value)


def _ai_value(raw: str, charset: frozenset = _CSET82, max_len: int = 20, min_len: int = 1) -> str | None:
    """Decode an escaped value, check it against the AI character set/length, return it re-encoded."""
    value = _decode(raw)
    if value is None or not (min_len <= len(value) <= max_len) or any(c not in charset for c in value):
        return None
    return _encode(value)


# --------------------------------------------------------------------------------------------- EPC URNs

def _split_cp(cp: str, ref: str, total: int) -> bool:
    """Company prefix (6-12 digits) + reference digits must make `total` digits."""
    return cp.isdigit() and 6 <= len(cp) <= 12 and (ref.isdigit() or ref == "") and len(cp) + len(ref) == total


def _gtin(cp: str, item_ref: str) -> str | None:
    # SGTIN-style: indicator digit (first of item reference) + company prefix + rest of item reference
    if not _split_cp(cp, item_ref, 13) or not item_ref:
        return None
    body = item_ref[0] + cp + item_ref[1:]
    return body + gs1_check_digit(body)


def _with_cd(cp: str, ref: str, total: int) -> str | None:
    if not _split_cp(cp, ref, total):
        return None
    return cp + ref + gs1_check_digit(cp + ref)


def _epc_id(scheme: str, parts: list[str]) -> str | None:
    n = len(parts)
    if scheme == "sgtin" and n == 3:
        gtin, serial = _gtin(parts[0], parts[1]), _ai_value(parts[2])
        return gtin and serial and f"/01/{gtin}/21/{serial}"
    if scheme == "sscc" and n == 2:
        cp, ref = parts
        if not _split_cp(cp, ref, 17) or not ref:
            return None
        body = ref[0] + cp + ref[1:]
        return f"/00/{body}{gs1_check_digit(body)}"
    if scheme == "sgln" and n == 3:
        gln, ext = _with_cd(parts[0], parts[1], 12), parts[2]
        if not gln:
            return None
        if ext == "0":
            return f"/414/{gln}"
        ext = _ai_value(ext)
        return ext and f"/414/{gln}/254/{ext}"
    if scheme == "grai" and n == 3:
        grai, serial = _with_cd(parts[0], parts[1], 12), parts[2]
        if not grai:
            return None
        if serial == "":
            return None
        serial = _ai_value(serial, max_len=16)
        return serial and f"/8003/0{grai}{serial}"
    if scheme == "giai" and n == 2:
        cp = parts[0]
        if not (cp.isdigit() and 6 <= len(cp) <= 12):
            return None
        ref = _ai_value(parts[1], max_len=30 - len(cp))
        return ref and f"/8004/{cp}{ref}"
    if scheme in ("gsrn", "gsrnp") and n == 2:
        key = _with_cd(parts[0], parts[1], 17)
        return key and f"/{'8018' if scheme == 'gsrn' else '8017'}/{key}"
    if scheme == "gdti" and n == 3:
        gdti = _with_cd(parts[0], parts[1], 12)
        if not gdti or parts[2] == "":
            return None
        serial = _ai_value(parts[2], max_len=17)
        return serial and f"/253/{gdti}{serial}"
    if scheme == "cpi" and n == 3:
        cp = parts[0]
        if not (cp.isdigit() and 6 <= len(cp) <= 12) or not parts[2].isdigit() or len(parts[2]) > 12:
            return None
        ref = _ai_value(parts[1], charset=_CSET39, max_len=30 - len(cp), min_len=0)
        return None if ref is None else f"/8010/{cp}{ref}/8011/{parts[2]}"
    if scheme == "sgcn" and n == 3:
        gcn = _with_cd(parts[0], parts[1], 12)
        if not gcn or not parts[2].isdigit() or len(parts[2]) > 12:
            return None
        return f"/255/{gcn}{parts[2]}"
    if scheme == "ginc" and n == 2:
        cp = parts[0]
        if not (cp.isdigit() and 6 <= len(cp) <= 12):
            return None
        ref = _ai_value(parts[1], max_len=30 - len(cp))
        return ref and f"/401/{cp}{ref}"
    if scheme == "gsin" and n == 2:
        key = _with_cd(parts[0], parts[1], 16)
        return key and f"/402/{key}"
    if scheme == "itip" and n == 5:
        gtin = _gtin(parts[0], parts[1])
        piece, total = parts[2], parts[3]
        if not gtin or not (len(piece) == 2 and piece.isdigit() and len(total) == 2 and total.isdigit()):
            return None
        serial = _ai_value(parts[4])
        return serial and f"/8006/{gtin}{piece}{total}/21/{serial}"
    if scheme == "upui" and n == 3:
        gtin, tpx = _gtin(parts[0], parts[1]), _ai_value(parts[2], max_len=28)
        return gtin and tpx and f"/01/{gtin}/235/{tpx}"
    if scheme == "pgln" and n == 2:
        gln = _with_cd(parts[0], parts[1], 12)
        return gln and f"/417/{gln}"
    return None


def _epc_pattern(scheme: str, parts: list[str]) -> str | None:
    """Class-level EPC id patterns (the last component is '*')."""
    if not parts or parts[-1] != "*" or any("*" in p for p in parts[:-1]):
        return None
    head = parts[:-1]
    if scheme in ("sgtin", "upui") and len(head) == 2:
        gtin = _gtin(*head)
        return gtin and f"/01/{gtin}"
    if scheme == "grai" and len(head) == 2:
        grai = _with_cd(*head, 12)
        return grai and f"/8003/0{grai}"
    if scheme == "gdti" and len(head) == 2:
        gdti = _with_cd(*head, 12)
        return gdti and f"/253/{gdti}"
    if scheme == "sgcn" and len(head) == 2:
        gcn = _with_cd(*head, 12)
        return gcn and f"/255/{gcn}"
    if scheme == "cpi" and len(head) == 2:
        cp = head[0]
        if not (cp.isdigit() and 6 <= len(cp) <= 12):
            return None
        ref = _ai_value(head[1], charset=_CSET39, max_len=30 - len(cp), min_len=0)
        return None if ref is None else f"/8010/{cp}{ref}"
    if scheme == "itip" and len(head) == 4:
        gtin = _gtin(head[0], head[1])
        piece, total = head[2], head[3]
        if not gtin or not (len(piece) == 2 and piece.isdigit() and len(total) == 2 and total.isdigit()):
            return None
        return f"/8006/{gtin}{piece}{total}"
    return None


_EPC_RE = re.compile(r"^urn:epc:(id|idpat|class):([a-z]+):(.+)$")


def epc_uri_to_dl(uri: str) -> str | None:
    """EPC URN (id / class lgtin / idpat) -> canonical GS1 Digital Link URI, or None."""
    m = _EPC_RE.match(uri)
    if not m:
        return None
    kind, scheme, rest = m.groups()
    parts = rest.split(".")
    if kind == "id":
        path = _epc_id(scheme, parts)
    elif kind == "idpat":
        path = _epc_pattern(scheme, parts)
    else:  # class
        path = None
        if scheme == "lgtin" and len(parts) == 3:
            gtin, lot = _gtin(parts[0], parts[1]), _ai_value(parts[2])
            path = gtin and lot and f"/01/{gtin}/10/{lot}"
    return DL_CANONICAL_HOST + path if path else None


# --------------------------------------------------------------------------------------- Digital Link

_SHORT_NAMES = {
    "gtin": "01", "itip": "8006", "cpid": "8010", "gln": "414", "party": "417", "gsrnp": "8017",
    "gsrn": "8018", "gcn": "255", "sscc": "00", "gdti": "253", "ginc": "401", "gsin": "402",
    "grai": "8003", "giai": "8004", "cpv": "22", "lot": "10", "ser": "21", "glnx": "254", "tpx": "235",
    "srin": "8019",
}

# primary key -> allowed qualifier AIs in path order
_QUALIFIERS = {
    "01": ("22", "10", "21"), "8006": ("22", "10", "21"), "8010": ("8011",), "414": ("254",),
    "8017": ("8019",), "8018": ("8019",), "00": (), "253": (), "255": (), "401": (), "402": (),
    "417": (), "8003": (), "8004": (),
}
_GTIN_TPX = ("235",)  # 01 + 235 (third party controlled serial) is an alternative qualifier path


def _digits(n: int):
    return lambda v: v if (len(v) == n and v.isdigit()) else None


def _gtin_value(v: str) -> str | None:
    if v.isdigit() and len(v) in (8, 12, 13, 14):
        return v.rjust(14, "0")
    return None


def _prefixed(n: int, max_rest: int, digits_only: bool = False):
    def check(v: str) -> str | None:
        head, rest = v[:n], v[n:]
        if len(head) != n or not head.isdigit() or len(rest) > max_rest:
            return None
        if digits_only:
            return v if rest.isdigit() or rest == "" else None
        enc = _ai_value(rest, max_len=max_rest, min_len=0) if rest else ""
        return None if enc is None else head + enc
    return check


def _text(max_len: int, charset: frozenset = _CSET82):
    return lambda v: _ai_value(v, charset=charset, max_len=max_len)


_VALUE_CHECK = {
    "00": _digits(18), "01": _gtin_value, "8006": _digits(18), "8010": _text(30, _CSET39),
    "414": _digits(13), "417": _digits(13), "8017": _digits(18), "8018": _digits(18),
    "255": _prefixed(13, 12, digits_only=True), "253": _prefixed(13, 17), "401": _text(30),
    "402": _digits(17), "8003": _prefixed(14, 16), "8004": _text(30),
    "22": _text(20), "10": _text(20), "21": _text(20), "235": _text(28), "254": _text(20),
    "8011": lambda v: v if v.isdigit() and len(v) <= 12 else None,
    "8019": lambda v: v if v.isdigit() and len(v) <= 10 else None,
}

_DL_RE = re.compile(r"^https?://[^/?#]+(/[^?#]*)(?:\?[^#]*)?(?:#.*)?$")


def _parse_key_path(segments: list[str]) -> list[tuple[str, str]] | None:
    """Parse primary key + qualifier pairs; None if the segments are not a valid DL key path."""
    if len(segments) < 2 or len(segments) % 2:
        return None
    pairs = []
    for i in range(0, len(segments), 2):
        ai = _SHORT_NAMES.get(segments[i], segments[i])
        pairs.append((ai, segments[i + 1]))
    primary = pairs[0][0]
    if primary not in _QUALIFIERS:
        return None
    allowed = _QUALIFIERS[primary]
    quals = [ai for ai, _ in pairs[1:]]
    if primary == "01" and quals == list(_GTIN_TPX):
        pass
    else:
        pos = -1
        for ai in quals:  # qualifiers must be known for this key and in the defined order
            if ai not in allowed or allowed.index(ai) <= pos:
                return None
            pos = allowed.index(ai)
    out = []
    for ai, raw in pairs:
        if raw == "":
            return None
        value = _decode(raw)
        if value is None:
            return None
        checked = _VALUE_CHECK[ai](value)
        if checked is None:
            return None
        out.append((ai, checked))
    return out


def canonical_dl(uri: str) -> str | None:
    """Constrained canonical GS1 Digital Link URI for any GS1 DL URI; None if `uri` is not one."""
    m = _DL_RE.match(uri)
    if not m:
        return None
    segments = m.group(1).split("/")[1:]
    while segments and segments[-1] == "":
        segments.pop()
    # a DL URI may carry a custom path before the primary key: take the first split that parses
    for start in range(0, max(len(segments) - 1, 0)):
        if (len(segments) - start) % 2:
            continue
        pairs = _parse_key_path(segments[start:])
        if pairs is None:
            continue
        keep = dict(pairs)
        keep.pop("22", None)     # CPV is never part of the hashed identifier
        keep.pop("8019", None)   # nor the service relation instance number
        if "21" in keep:
            keep.pop("10", None)  # serial is finer than lot
        path = "".join(f"/{ai}/{value}" for ai, value in pairs if ai in keep)
        return DL_CANONICAL_HOST + path
    return None


def canonical_identifier(value: str) -> str | None:
    """Canonical GS1 DL form of an EPC URN or GS1 DL URI; None if `value` is neither."""
    if not isinstance(value, str):
        return None
    if value.startswith("urn:epc:"):
        return epc_uri_to_dl(value)
    if value.startswith(("http://", "https://")):
        return canonical_dl(value)
    return None
