"""EPC pure-identity URNs (GS1 EPC Tag Data Standard 2.x, sections 6-7) and their
mapping to GS1 keys.

Hand-written: biip reads GS1 keys but has no EPC URNs, and going from a GS1 key to
a URN needs the GS1 Company Prefix length, which the key alone does not reveal.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from core.identifiers.charset import check_cset82, urn_escape, urn_unescape
from core.identifiers.checkdigit import gs1_check_digit
from core.identifiers.errors import IdentifierError
from core.identifiers.gs1 import Gs1Element, Gs1Id

CompanyPrefixes = Iterable[str] | Callable[[str], "int | None"] | None

SUPPORTED_SCHEMES = ("sgtin", "sscc", "sgln", "pgln", "grai", "giai", "lgtin")
# EPC schemes that exist but this package does not handle: always part="scheme".
UNSUPPORTED_SCHEMES = frozenset({
    "gdti", "cpi", "gsrn", "gsrnp", "sgcn", "ginc", "gsin", "itip", "upui", "gid", "usdod", "adi",
    "bic", "imovn",
})
KINDS = {"sgtin": "serial", "lgtin": "class", "sscc": "container", "sgln": "location", "pgln": "party",
         "grai": "asset", "giai": "asset"}

# Fields after the company prefix, with the digit count that prefix + numeric field must reach.
_FIELDS: dict[str, tuple[tuple[str, ...], int | None]] = {
    "sgtin": (("item_ref", "serial"), 13),
    "lgtin": (("item_ref", "lot"), 13),
    "sscc": (("serial_ref",), 17),
    "sgln": (("location_ref", "extension"), 12),
    "pgln": (("party_ref",), 12),
    "grai": (("asset_type", "serial"), 12),
    "giai": (("asset_ref",), None),
}
_TEXT_LIMITS = {"serial": 20, "lot": 20, "extension": 20}
_GRAI_SERIAL_MAX = 16
_GIAI_MAX = 30
_DIGITS = re.compile(r"[0-9]*")
_URN = re.compile(r"urn:epc:(id|class|idpat):([A-Za-z0-9-]*):(.*)", re.DOTALL)


@dataclass(frozen=True)
class EpcId:
    """A parsed EPC pure identity (or an LGTIN class / whole-class pattern).

    Text fields (serial, lot, extension, asset_ref) hold the decoded GS1 value; `urn`
    re-escapes them. `pattern` is True for `urn:epc:idpat:sgtin:CP.IR.*` (a product
    class) and `urn:epc:idpat:grai:CP.AT.*` (an asset type).
    """

    scheme: str
    company_prefix: str
    item_ref: str | None = None
    serial: str | None = None
    lot: str | None = None
    serial_ref: str | None = None
    location_ref: str | None = None
    extension: str | None = None
    party_ref: str | None = None
    asset_type: str | None = None
    asset_ref: str | None = None
    pattern: bool = False

    @property
    def kind(self) -> str:
        return "class" if self.pattern else KINDS[self.scheme]

    @cached_property  # parsed EPCs are shared (_parse_urn's cache): each key's check digit once
    def gs1_key(self) -> str:
        """The GS1 key: GTIN-14, SSCC, GLN, GRAI (incl. serial, as in AI 8003) or GIAI."""
        cp = self.company_prefix
        if self.scheme in ("sgtin", "lgtin"):
            body = self.item_ref[:1] + cp + self.item_ref[1:]
        elif self.scheme == "sscc":
            body = self.serial_ref[:1] + cp + self.serial_ref[1:]
        elif self.scheme == "sgln":
            body = cp + self.location_ref
        elif self.scheme == "pgln":
            body = cp + self.party_ref
        elif self.scheme == "grai":
            body = "0" + cp + self.asset_type
            return body + gs1_check_digit(body) + (self.serial or "")
        else:
            return cp + self.asset_ref
        return body + gs1_check_digit(body)

    @property
    def urn(self) -> str:
        cp = self.company_prefix
        s = self.scheme
        if self.pattern:
            middle = self.item_ref if s == "sgtin" else self.asset_type
            return f"urn:epc:idpat:{s}:{cp}.{middle}.*"
        if s == "sgtin":
            return f"urn:epc:id:sgtin:{cp}.{self.item_ref}.{urn_escape(self.serial)}"
        if s == "lgtin":
            return f"urn:epc:class:lgtin:{cp}.{self.item_ref}.{urn_escape(self.lot)}"
        if s == "sscc":
            return f"urn:epc:id:sscc:{cp}.{self.serial_ref}"
        if s == "sgln":
            return f"urn:epc:id:sgln:{cp}.{self.location_ref}.{urn_escape(self.extension)}"
        if s == "pgln":
            return f"urn:epc:id:pgln:{cp}.{self.party_ref}"
        if s == "grai":
            return f"urn:epc:id:grai:{cp}.{self.asset_type}.{urn_escape(self.serial)}"
        return f"urn:epc:id:giai:{cp}.{urn_escape(self.asset_ref)}"

    def __str__(self) -> str:
        return self.urn

    def to_gs1(self) -> Gs1Id:
        """The GS1 key and qualifiers this EPC stands for (no company prefix needed)."""
        s, key = self.scheme, self.gs1_key
        if s == "sgtin":
            return Gs1Id("01", key, () if self.pattern else (Gs1Element("21", self.serial),))
        if s == "lgtin":
            return Gs1Id("01", key, (Gs1Element("10", self.lot),))
        if s == "sscc":
            return Gs1Id("00", key)
        if s == "sgln":
            quals = () if self.extension == "0" else (Gs1Element("254", self.extension),)
            return Gs1Id("414", key, quals)
        if s == "pgln":
            return Gs1Id("417", key)
        return Gs1Id("8003" if s == "grai" else "8004", key)


def parse_epc_urn(urn: str) -> EpcId:
    """Parse and validate an EPC pure-identity URN, `urn:epc:class:lgtin:` or a whole-class idpat."""
    if not isinstance(urn, str):
        raise IdentifierError(urn, "uri", "an EPC URN must be a string")
    return _parse_urn(urn)


@lru_cache(maxsize=4096)  # a lot's serials name it again and again
def lot_class(company_prefix: str, item_ref: str, lot: str) -> str:
    """The canonical LGTIN class URN of a lot of product (company prefix, item reference); the lot
    number is checked as the URN's would be (IdentifierError)."""
    return parse_epc_urn(EpcId("lgtin", company_prefix, item_ref=item_ref, lot=lot).urn).urn


@lru_cache(maxsize=65_536)  # ingest parses each URN several times per document; EpcId is frozen
def _parse_urn(urn: str) -> EpcId:
    m = _URN.fullmatch(urn)
    if not m:
        if urn.startswith("urn:epc:"):
            raise IdentifierError(
                urn, "uri", "expected urn:epc:id:<scheme>:..., urn:epc:class:lgtin:... or urn:epc:idpat:<scheme>:..."
            )
        raise IdentifierError(urn, "uri", "an EPC URN starts with urn:epc:")
    kind, scheme, body = m.groups()
    if scheme in UNSUPPORTED_SCHEMES:
        raise IdentifierError(urn, "scheme", f"the EPC scheme {scheme!r} is not supported by this service")
    allowed = {"id": ("sgtin", "sscc", "sgln", "pgln", "grai", "giai"), "class": ("lgtin",),
               "idpat": ("sgtin", "grai")}[kind]
    if scheme not in allowed:
        if kind == "idpat" and scheme in SUPPORTED_SCHEMES:
            raise IdentifierError(urn, "pattern", f"only sgtin and grai class patterns are supported, not {scheme}")
        known = scheme in SUPPORTED_SCHEMES
        raise IdentifierError(
            urn, "scheme",
            f"urn:epc:{kind}:{scheme} is not a valid EPC form" if known else f"unknown EPC scheme {scheme!r}",
        )
    names, digits_total = _FIELDS[scheme]
    parts = body.split(".", len(names))
    cp = parts[0]
    if not _DIGITS.fullmatch(cp) or not 6 <= len(cp) <= 12:
        raise IdentifierError(urn, "company_prefix", f"must be 6 to 12 digits, got {cp!r}")
    if len(parts) < len(names) + 1:
        raise IdentifierError(urn, names[len(parts) - 1], f"missing; the URN needs CP.{'.'.join(names).upper()}")
    fields = dict(zip(names, parts[1:]))
    if kind == "idpat":
        return _pattern(urn, scheme, cp, fields, names)
    if digits_total is not None:
        num = names[0]
        if not _DIGITS.fullmatch(fields[num]):
            raise IdentifierError(urn, num, f"must be digits only, got {fields[num]!r}")
        if len(cp) + len(fields[num]) != digits_total:
            raise IdentifierError(
                urn, num,
                f"company prefix and {num.replace('_', ' ')} must have {digits_total} digits together, "
                f"got {len(cp) + len(fields[num])}",
            )
    for name in names:
        if name in _TEXT_LIMITS or name == "asset_ref":
            value = urn_unescape(fields[name], name, urn)
            if name == "asset_ref":
                limit = _GIAI_MAX - len(cp)
            elif scheme == "grai":
                limit = _GRAI_SERIAL_MAX
            else:
                limit = _TEXT_LIMITS[name]
            check_cset82(value, name, urn, limit)
            fields[name] = value
    return EpcId(scheme=scheme, company_prefix=cp, **fields)


def _pattern(urn: str, scheme: str, cp: str, fields: dict[str, str], names: tuple[str, ...]) -> EpcId:
    num, last = names
    if fields[last] != "*" or "*" in fields[num]:
        raise IdentifierError(urn, "pattern", f"only the whole-class pattern CP.{num.upper()}.* is supported")
    total = _FIELDS[scheme][1]
    if not _DIGITS.fullmatch(fields[num]) or len(cp) + len(fields[num]) != total:
        raise IdentifierError(
            urn, num, f"company prefix and {num.replace('_', ' ')} must be {total} digits together"
        )
    return EpcId(scheme=scheme, company_prefix=cp, pattern=True, **{num: fields[num]})


def _prefix_digits(key_ai: str, key: str) -> str:
    """The digits of a GS1 key where its company prefix starts (indicator/extension/0 skipped)."""
    if key_ai in ("01", "00", "8003"):
        return key[1:-1] if key_ai != "8003" else key[1:13]
    if key_ai in ("414", "417"):
        return key[:12]
    return key  # GIAI: the company prefix starts the value


def company_prefix_length(
    gs1: Gs1Id, whole: str, company_prefixes: CompanyPrefixes = None, gcp_length: int | None = None
) -> int:
    digits = _prefix_digits(gs1.key_ai, gs1.key)
    if gcp_length is not None:
        if isinstance(gcp_length, bool) or not isinstance(gcp_length, int) or not 6 <= gcp_length <= 12:
            raise IdentifierError(whole, "company_prefix", f"a company prefix length is 6 to 12, got {gcp_length!r}")
        return gcp_length
    if callable(company_prefixes):
        length = company_prefixes(digits)
        if length is None:
            raise IdentifierError(
                whole, "company_prefix", f"the company prefix lookup does not know the prefix of {digits}"
            )
        if isinstance(length, bool) or not isinstance(length, int) or not 6 <= length <= 12:
            raise IdentifierError(whole, "company_prefix", f"the prefix lookup returned {length!r}; expected 6 to 12")
        return length
    if company_prefixes is not None:
        known = company_prefixes if isinstance(company_prefixes, (set, frozenset)) else set(company_prefixes)
        for length in range(12, 5, -1):
            if digits[:length] in known and digits[:length].isdigit() and len(digits[:length]) == length:
                return length
        raise IdentifierError(
            whole, "company_prefix",
            f"no configured GS1 company prefix matches the start of {digits}; add this company's prefix",
        )
    raise IdentifierError(
        whole, "company_prefix",
        "the GS1 company prefix length is unknown; pass gcp_length, or company_prefixes "
        "(known prefixes or a lookup function), or give an EPC URN",
    )


def epc_from_gs1(gs1: Gs1Id, gcp_len: int, whole: str) -> EpcId:
    """Split a GS1 key at the company prefix and build the EPC (validated by re-parsing the URN)."""
    key, ai = gs1.key, gs1.key_ai
    if ai in ("01", "00", "414", "417", "8003"):
        digits = _prefix_digits(ai, key)
        cp, rest = digits[:gcp_len], digits[gcp_len:]
    if ai == "01":
        item_ref = key[0] + rest
        serial, lot = gs1.qualifier("21"), gs1.qualifier("10")
        if serial is not None:
            epc = EpcId("sgtin", cp, item_ref=item_ref, serial=serial)
        elif lot is not None:
            epc = EpcId("lgtin", cp, item_ref=item_ref, lot=lot)
        else:
            epc = EpcId("sgtin", cp, item_ref=item_ref, pattern=True)
    elif ai == "00":
        epc = EpcId("sscc", cp, serial_ref=key[0] + rest)
    elif ai == "414":
        epc = EpcId("sgln", cp, location_ref=rest, extension=gs1.qualifier("254") or "0")
    elif ai == "417":
        epc = EpcId("pgln", cp, party_ref=rest)
    elif ai == "8003":
        serial = key[14:]
        epc = EpcId("grai", cp, asset_type=rest, serial=serial or None, pattern=not serial)
    elif ai == "8004":
        cp = key[:gcp_len]
        if not cp.isdigit() or len(cp) != gcp_len:
            raise IdentifierError(whole, "company_prefix", f"a GIAI starts with its {gcp_len}-digit company prefix")
        if len(key) == gcp_len:
            raise IdentifierError(whole, "asset_ref", "the GIAI has nothing after its company prefix")
        epc = EpcId("giai", cp, asset_ref=key[gcp_len:])
    else:  # pragma: no cover - callers only pass supported keys
        raise IdentifierError(whole, "scheme", f"AI ({ai}) has no EPC scheme here")
    try:
        return parse_epc_urn(epc.urn)
    except IdentifierError as exc:
        raise IdentifierError(whole, exc.part, exc.reason) from exc
