"""HIBCC UDIs: the HIBC Supplier Labeling Standard (ANSI/HIBC 2.6).

Hand-written: biip has no HIBC support. Accepted forms:
  primary          +LIC PCN U/M C                 (C = mod-43 check character)
  secondary        +<data> L C                    (L = link: the primary's check character)
  both, scanned    +LIC PCN U/M C +<data> L C     (two linear symbols read together)
  concatenated     +LIC PCN U/M /<data>[/<supplemental>...] C   (one check at the end)
<data> is "$lot", "$+serial", "$$[+]<date><lot|serial>", "$$[+]8QQ<date>..." or
"$$[+]9QQQQQ<date>...", or the old "YYJJJlot". <date> is MMYY (first digit 0/1) or a
format digit: 2 MMDDYY, 3 YYMMDD, 4 YYMMDDHH, 5 YYJJJ, 6 YYJJJHH, 7 none.
Supplemental data (concatenated form): /S serial, /16D production date and /14D expiry
(YYYYMMDD), /Q quantity. Code 39 "*" delimiters and an AIM prefix are ignored.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from core.identifiers.errors import IdentifierError

MOD43 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%"
_VALUES = {ch: i for i, ch in enumerate(MOD43)}
_PRIMARY = re.compile(r"([A-Z][A-Z0-9]{3})([A-Z0-9]{1,18})([0-9])")
_DATA = re.compile(r"[A-Z0-9]{1,18}")
# date format digit -> (field length, strptime-like layout)
_DATE_FORMATS = {"2": (6, "MMDDYY"), "3": (6, "YYMMDD"), "4": (8, "YYMMDDHH"), "5": (5, "YYJJJ"), "6": (7, "YYJJJHH")}


def hibcc_check_character(data: str) -> str:
    """Mod-43 check character over `data` (everything from the leading "+")."""
    total = 0
    for i, ch in enumerate(data):
        if ch not in _VALUES:
            raise IdentifierError(data, "character", f"{ch!r} at position {i + 1} is not a Code 39 character")
        total += _VALUES[ch]
    return MOD43[total % 43]


@dataclass(frozen=True)
class HibccUdi:
    """A parsed HIBCC UDI. `lic`/`product`/`unit_of_measure` are None for a secondary-only scan.

    An MMYY expiry is reported as the last day of that month.
    """

    lic: str | None
    product: str | None
    unit_of_measure: int | None
    lot: str | None = None
    serial: str | None = None
    expiry: date | None = None
    quantity: int | None = None
    production_date: date | None = None
    expiry_hour: int | None = None
    check_character: str | None = None  # of the primary; the link character of its secondary
    link_character: str | None = None  # of a secondary scanned on its own

    @property
    def primary_di(self) -> str | None:
        """LIC + product + unit of measure: the HIBCC UDI-DI without flag and check character."""
        if self.lic is None:
            return None
        return f"{self.lic}{self.product}{self.unit_of_measure}"

    @property
    def kind(self) -> str:
        return "serial" if self.serial else "class"

    def as_dict(self) -> dict:
        d = asdict(self)
        for k in ("expiry", "production_date"):
            d[k] = d[k].isoformat() if d[k] else None
        d["primary_di"] = self.primary_di
        return d


def parse_hibcc(value: str) -> HibccUdi:
    """Parse an HIBCC UDI and verify its check and link characters."""
    if not isinstance(value, str):
        raise IdentifierError(value, "hibcc", "an HIBCC code must be a string")
    v = strip_decoration(value)
    if not v.startswith("+"):
        raise IdentifierError(value, "flag", "an HIBCC code starts with '+'")
    for i, ch in enumerate(v):
        if ch not in _VALUES:
            hint = " (HIBCC data is upper case)" if ch.islower() else ""
            raise IdentifierError(value, "character", f"{ch!r} at position {i + 1} is not allowed{hint}")
    if len(v) < 3:
        raise IdentifierError(value, "hibcc", "too short for an HIBCC code")
    if v[1].isalpha():
        return _primary_led(v, value)
    try:
        fields = _secondary_line(v, value)
    except IdentifierError:
        if re.fullmatch(r"[0-9][A-Z0-9]{4,21}[0-9]", v[1:-1]):  # more likely a primary with a bad LIC
            raise IdentifierError(
                value, "lic", f"{v[1:5]!r} must start with a letter (a digit after '+' marks secondary data)"
            ) from None
        raise
    return HibccUdi(None, None, None, link_character=fields.pop("link"), **fields)


def strip_decoration(value: str) -> str:
    """Drop leading blanks, an AIM symbology identifier and Code 39 "*" delimiters."""
    v = value.lstrip().rstrip("\r\n\t")  # not a trailing " ": a space is a valid check character
    if v.startswith("]") and len(v) >= 3:
        v = v[3:]
    if v.startswith("*"):
        v = v[1:]
    if v.endswith("*"):
        v = v[:-1]
    return v


def _verify(data: str, got: str, whole: str, part: str = "check_character") -> None:
    expected = hibcc_check_character(data)
    if got != expected:
        raise IdentifierError(whole, part, f"the check character of {data!r} should be {expected!r}, not {got!r}")


def _primary_led(v: str, whole: str) -> HibccUdi:
    candidates = []  # (structure, args) in order of preference
    j = v.find("+", 1)
    if j > 0:
        candidates.append(("lines", j))
        if v[j + 1:j + 2] == "+":
            candidates.append(("lines", j + 1))
    slash = v.find("/", 1)
    if 0 < slash < len(v) - 2:
        candidates.append(("concat", slash))
    candidates.append(("primary", None))
    first_error: IdentifierError | None = None
    for kind, at in candidates:
        try:
            if kind == "lines":
                return _two_lines(v, at, whole)
            if kind == "concat":
                return _concatenated(v, at, whole)
            return _primary_only(v, whole)
        except IdentifierError as exc:
            if first_error is None or (first_error.part == "primary" and exc.part != "primary"):
                first_error = exc
    assert first_error is not None
    raise first_error


def _split_primary(p: str, whole: str) -> tuple[str, str, int]:
    m = _PRIMARY.fullmatch(p)
    if not m:
        raise IdentifierError(
            whole, "primary",
            f"{p!r} is not LIC (a letter and 3 letters/digits) + product (1-18 letters/digits) + unit-of-measure digit",
        )
    return m.group(1), m.group(2), int(m.group(3))


def _primary_only(v: str, whole: str) -> HibccUdi:
    lic, product, um = _split_primary(v[1:-1], whole)
    _verify(v[:-1], v[-1], whole)
    return HibccUdi(lic, product, um, check_character=v[-1])


def _two_lines(v: str, j: int, whole: str) -> HibccUdi:
    line1, line2 = v[:j], v[j:]
    lic, product, um = _split_primary(line1[1:-1], whole)
    _verify(line1[:-1], line1[-1], whole)
    if len(line2) < 4 or line2[1:2] not in tuple("$0123456789"):
        raise IdentifierError(whole, "secondary", f"{line2!r} is not an HIBCC secondary data structure")
    fields = _secondary_line(line2, whole)
    if fields.pop("link") != line1[-1]:
        raise IdentifierError(
            whole, "link_character",
            f"the secondary's link character {line2[-2]!r} should be the primary's check character {line1[-1]!r}",
        )
    return HibccUdi(lic, product, um, check_character=line1[-1], **fields)


def _secondary_line(v: str, whole: str) -> dict:
    if len(v) < 4:
        raise IdentifierError(whole, "secondary", "too short for a secondary data structure")
    _verify(v[:-1], v[-1], whole)
    fields = _secondary_data(v[1:-2], whole)
    fields["link"] = v[-2]
    return fields


def _concatenated(v: str, slash: int, whole: str) -> HibccUdi:
    lic, product, um = _split_primary(v[1:slash], whole)
    _verify(v[:-1], v[-1], whole)
    fields: dict = {"lot": None, "serial": None, "expiry": None, "quantity": None,
                    "production_date": None, "expiry_hour": None}
    for n, seg in enumerate(v[slash + 1:-1].split("/")):
        if re.fullmatch(r"16D\d{8}", seg):
            _set(fields, "production_date", _ymd8(seg[3:], whole, "production_date"), whole)
        elif re.fullmatch(r"14D\d{8}", seg):
            _set(fields, "expiry", _ymd8(seg[3:], whole, "expiry"), whole)
        elif re.fullmatch(r"S[A-Z0-9]{1,18}", seg):
            _set(fields, "serial", seg[1:], whole)
        elif re.fullmatch(r"Q\d{1,8}", seg):
            _set(fields, "quantity", int(seg[1:]), whole)
        elif n == 0 and seg[:1] in tuple("$0123456789"):
            for k, val in _secondary_data(seg, whole).items():
                if val is not None:
                    _set(fields, k, val, whole)
        else:
            raise IdentifierError(whole, "secondary", f"{seg!r} is neither secondary nor supplemental HIBCC data")
    return HibccUdi(lic, product, um, **fields)


def _set(fields: dict, key: str, value, whole: str) -> None:
    if fields.get(key) not in (None, value):
        raise IdentifierError(whole, key, f"given twice with different values ({fields[key]!r}, {value!r})")
    fields[key] = value


def _secondary_data(s: str, whole: str) -> dict:
    out = {"lot": None, "serial": None, "expiry": None, "quantity": None, "expiry_hour": None}
    if s.startswith("$$"):
        r = s[2:]
        target = "lot"
        if r.startswith("+"):
            target, r = "serial", r[1:]
        if r[:1] in ("8", "9"):
            n = 2 if r[0] == "8" else 5
            q = r[1:1 + n]
            if len(q) != n or not q.isdigit():
                raise IdentifierError(whole, "quantity", f"format {r[0]} needs a {n}-digit quantity, got {q!r}")
            out["quantity"] = int(q)
            r = r[1 + n:]
            if not r:
                return out
        if not r:
            raise IdentifierError(whole, "expiry", "'$$' must be followed by a date or a format digit")
        c = r[0]
        if c in "01":
            out["expiry"], r = _mmyy(r[:4], whole), r[4:]
        elif c in _DATE_FORMATS:
            n, layout = _DATE_FORMATS[c]
            out["expiry"], out["expiry_hour"] = _date(r[1:1 + n], layout, whole)
            r = r[1 + n:]
        elif c == "7":
            r = r[1:]
        else:
            raise IdentifierError(whole, "expiry", f"{c!r} is not an HIBCC date format indicator (0-7)")
        out[target] = _data(r, target, whole)
    elif s.startswith("$+"):
        out["serial"] = _data(s[2:], "serial", whole, required=True)
    elif s.startswith("$"):
        out["lot"] = _data(s[1:], "lot", whole, required=True)
    elif s[:1].isdigit():
        out["expiry"], _ = _date(s[:5], "YYJJJ", whole)
        out["lot"] = _data(s[5:], "lot", whole)
    else:
        raise IdentifierError(whole, "secondary", f"{s!r} does not start with '$' or a date")
    return out


def _data(s: str, part: str, whole: str, required: bool = False) -> str | None:
    if not s and not required:
        return None
    if not _DATA.fullmatch(s):
        raise IdentifierError(whole, part, f"{s!r} must be 1 to 18 upper-case letters or digits")
    return s


def _mmyy(s: str, whole: str) -> date:
    if len(s) != 4 or not s.isdigit() or not 1 <= int(s[:2]) <= 12:
        raise IdentifierError(whole, "expiry", f"{s!r} is not a MMYY date")
    year, month = 2000 + int(s[2:]), int(s[:2])
    return date(year, month, calendar.monthrange(year, month)[1])


def _date(s: str, layout: str, whole: str) -> tuple[date, int | None]:
    if len(s) != len(layout) or not s.isdigit():
        raise IdentifierError(whole, "expiry", f"{s!r} is not a {layout} date")
    f = {k: int(s[layout.index(k):layout.index(k) + 2]) for k in ("YY", "MM", "DD", "HH") if k in layout}
    try:
        year = 2000 + f["YY"]
        if "JJJ" in layout:
            day = int(s[layout.index("JJJ"):layout.index("JJJ") + 3])
            d = date(year, 1, 1) + timedelta(days=day - 1)
            if not 1 <= day <= (366 if calendar.isleap(year) else 365):
                raise ValueError
        else:
            d = date(year, f["MM"], f["DD"])
        hour = f.get("HH")
        if hour is not None and hour > 23:
            raise ValueError
    except ValueError as exc:
        raise IdentifierError(whole, "expiry", f"{s!r} is not a valid {layout} date") from exc
    return d, hour


def _ymd8(s: str, whole: str, part: str) -> date:
    try:
        return date(int(s[:4]), int(s[4:6]), int(s[6:]))
    except ValueError as exc:
        raise IdentifierError(whole, part, f"{s!r} is not a valid YYYYMMDD date") from exc
