"""HIBCC UDIs (ANSI/HIBC 2.6). No shared conformance data exists for HIBCC (see
shared/conformance/SOURCES.md), so the fixed examples below carry check characters
worked out by hand, and the properties build codes with `hibcc_check_character`.
"""
from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.identifiers import (
    HibccUdi,
    IdentifierError,
    hibcc_check_character,
    parse_hibcc,
    parse_identifier,
)

ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _concat(body: str) -> str:
    return body + hibcc_check_character(body)


def test_check_character_by_hand():
    # "+A123BJC5D6E71": 41+10+1+2+3+11+19+12+5+13+6+14+7+1 = 145 = 3*43 + 16 -> "G"
    assert hibcc_check_character("+A123BJC5D6E71") == "G"
    # "+$$52001510X3" + link "G": 185 = 4*43 + 13 -> "D"
    assert hibcc_check_character("+$$52001510X3G") == "D"
    # "+A123BJC5D6E71/$$52001510X3": 313 = 7*43 + 12 -> "C"
    assert hibcc_check_character("+A123BJC5D6E71/$$52001510X3") == "C"


@pytest.mark.parametrize("code,expected", [
    ("+A123BJC5D6E71G", dict(lic="A123", product="BJC5D6E7", unit_of_measure=1, check_character="G")),
    ("*+A123BJC5D6E71G*", dict(lic="A123", product="BJC5D6E7", unit_of_measure=1)),
    ("]A0+A123BJC5D6E71G", dict(lic="A123", product="BJC5D6E7", unit_of_measure=1)),
    ("+A123BJC5D6E71G+$$52001510X3GD", dict(lot="10X3", expiry=date(2020, 1, 15))),
    ("+A123BJC5D6E71/$$52001510X3C", dict(lot="10X3", expiry=date(2020, 1, 15))),
    ("+$$52001510X3GD", dict(lic=None, product=None, lot="10X3", link_character="G")),
])
def test_worked_examples(code, expected):
    udi = parse_hibcc(code)
    for field, value in expected.items():
        assert getattr(udi, field) == value, field


@pytest.mark.parametrize("data,fields", [
    ("$LOT1", dict(lot="LOT1")),
    ("$+SER1", dict(serial="SER1")),
    ("$$0526LOT1", dict(expiry=date(2026, 5, 31), lot="LOT1")),
    ("$$2053126LOT1", dict(expiry=date(2026, 5, 31), lot="LOT1")),
    ("$$3260531LOT1", dict(expiry=date(2026, 5, 31), lot="LOT1")),
    ("$$426053114LOT1", dict(expiry=date(2026, 5, 31), expiry_hour=14, lot="LOT1")),
    ("$$526151LOT1", dict(expiry=date(2026, 5, 31), lot="LOT1")),
    ("$$62615114LOT1", dict(expiry=date(2026, 5, 31), expiry_hour=14, lot="LOT1")),
    ("$$7LOT1", dict(expiry=None, lot="LOT1")),
    ("$$+3260531SER1", dict(expiry=date(2026, 5, 31), serial="SER1", lot=None)),
    ("$$8243260531LOT1", dict(quantity=24, expiry=date(2026, 5, 31), lot="LOT1")),
    ("$$9001007LOT1", dict(quantity=100, expiry=None, lot="LOT1")),
    ("$$824", dict(quantity=24, lot=None)),
    ("26151LOT1", dict(expiry=date(2026, 5, 31), lot="LOT1")),  # pre-$$ form: YYJJJ + lot
    ("$$7LOT1/SSER9/16D20240102/Q5", dict(lot="LOT1", serial="SER9", production_date=date(2024, 1, 2), quantity=5)),
    ("$+SER1/14D20261231", dict(serial="SER1", expiry=date(2026, 12, 31))),
])
def test_secondary_formats(data, fields):
    udi = parse_hibcc(_concat("+H123PART1/" + data))
    assert (udi.lic, udi.product, udi.unit_of_measure, udi.primary_di) == ("H123", "PART", 1, "H123PART1")
    for field, value in fields.items():
        assert getattr(udi, field) == value, field


@pytest.mark.parametrize("code,part", [
    ("+A123BJC5D6E71H", "check_character"),
    ("+A123BJC5D6E71G" + _concat("+$$52001510X3H"), "link_character"),
    ("+A123BJC5D6E71G+$$52001510X3GE", "check_character"),
    ("+A123BJC5D6E71/$$52001510X3D", "check_character"),
    (_concat("+1123BJC5D6E71"), "lic"),  # an LIC starts with a letter
    (_concat("+A123BJC5D6E7X"), "primary"),  # U/M is a digit
    ("+a123BJC5D6E71G", "character"),
    ("A123BJC5D6E71G", "flag"),
    (_concat("+H123PART1/$$1326LOT"), "expiry"),  # month 13
    (_concat("+H123PART1/$$526400LOT"), "expiry"),  # day 400
    (_concat("+H123PART1/$$8X"), "quantity"),
    (_concat("+H123PART1/$$A"), "expiry"),
    (_concat("+H123PART1/$" + "L" * 19), "lot"),
    (_concat("+H123PART1/$LOT/14D20261231/14D20270101"), "expiry"),
])
def test_errors_name_the_part(code, part):
    with pytest.raises(IdentifierError) as info:
        parse_hibcc(code)
    assert info.value.part == part
    assert str(info.value).startswith("Invalid ")


def test_parse_identifier_hibcc_dict():
    info = parse_identifier(_concat("+H123PART1/$$3260531LOT1/SSER9"))
    assert info["kind"] == "serial"
    assert info["hibcc"]["expiry"] == "2026-05-31" and info["hibcc"]["serial"] == "SER9"
    assert info["epc_urn"] is None and info["digital_link"] is None


# --- generation <-> parsing -------------------------------------------------------------------

alnum = lambda lo, hi: st.text(ALNUM, min_size=lo, max_size=hi)  # noqa: E731


@st.composite
def hibcc_codes(draw):
    """(primary data, secondary data, expected HibccUdi fields)."""
    lic = draw(st.sampled_from(ALNUM[10:])) + draw(alnum(3, 3))
    product, um = draw(alnum(1, 18)), draw(st.integers(0, 9))
    fields = dict(lic=lic, product=product, unit_of_measure=um, lot=None, serial=None, expiry=None,
                  quantity=None, expiry_hour=None)
    kind = draw(st.sampled_from(["lot", "serial", "dated"]))
    text = draw(alnum(1, 18))
    if kind == "lot":
        data, fields["lot"] = "$" + text, text
    elif kind == "serial":
        data, fields["serial"] = "$+" + text, text
    else:
        target = draw(st.sampled_from(["lot", "serial"]))
        data = "$$" + ("+" if target == "serial" else "")
        qty = draw(st.one_of(st.none(), st.integers(0, 99999)))
        if qty is not None:
            data += f"8{qty:02d}" if qty < 100 else f"9{qty:05d}"
            fields["quantity"] = qty
        fmt = draw(st.sampled_from("1234567"))
        d = draw(st.dates(date(2000, 1, 1), date(2099, 12, 31)))
        hour = draw(st.integers(0, 23))
        y, m, dd, j = f"{d.year % 100:02d}", f"{d.month:02d}", f"{d.day:02d}", f"{d.timetuple().tm_yday:03d}"
        data += {"1": m + y, "2": "2" + m + dd + y, "3": "3" + y + m + dd, "4": f"4{y}{m}{dd}{hour:02d}",
                 "5": "5" + y + j, "6": f"6{y}{j}{hour:02d}", "7": "7"}[fmt]
        if fmt == "1":
            fields["expiry"] = d.replace(day=calendar.monthrange(d.year, d.month)[1])
        elif fmt != "7":
            fields["expiry"] = d
        if fmt in "46":
            fields["expiry_hour"] = hour
        data += text
        fields[target] = text
    return f"{lic}{product}{um}", data, fields


def _check(udi: HibccUdi, fields: dict) -> None:
    for k, v in fields.items():
        assert getattr(udi, k) == v, k


@settings(max_examples=150, deadline=None)
@given(hibcc_codes())
def test_generated_codes_parse_in_every_form(code):
    primary, data, fields = code
    line1 = "+" + primary + hibcc_check_character("+" + primary)
    link = line1[-1]
    line2 = "+" + data + link
    line2 += hibcc_check_character(line2)
    concatenated = "+" + primary + "/" + data
    concatenated += hibcc_check_character(concatenated)

    _check(parse_hibcc(concatenated), fields)
    _check(parse_hibcc(line1 + line2), {**fields, "check_character": link})
    _check(parse_hibcc("*" + line1 + "*"), {k: fields[k] for k in ("lic", "product", "unit_of_measure")})
    alone = parse_hibcc(line2)
    assert alone.lic is None and alone.link_character == link
    _check(alone, {k: v for k, v in fields.items() if k not in ("lic", "product", "unit_of_measure")})


@settings(max_examples=150, deadline=None)
@given(hibcc_codes(), st.data())
def test_one_changed_character_is_caught(code, data):
    primary, _, _ = code
    line1 = "+" + primary + hibcc_check_character("+" + primary)
    pos = data.draw(st.integers(1, len(line1) - 1))
    new = data.draw(st.sampled_from([c for c in ALNUM if c != line1[pos]]))
    with pytest.raises(IdentifierError):
        parse_hibcc(line1[:pos] + new + line1[pos + 1:])
