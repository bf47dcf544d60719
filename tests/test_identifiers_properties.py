"""Round-trip properties and API behaviour of core.identifiers (GS1 / EPC side)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.identifiers import (
    EpcId,
    IdentifierError,
    gs1_check_digit,
    gs1_elements,
    parse_epc_urn,
    parse_identifier,
    to_digital_link,
    to_element_string,
    to_epc_urn,
    verify_gs1_check_digit,
)
from core.identifiers.charset import CSET82
from core.identifiers.element_string import format_fnc1

FAST = settings(max_examples=60, deadline=None)

digits = lambda n: st.text("0123456789", min_size=n, max_size=n)  # noqa: E731
cset82 = lambda lo, hi: st.text(sorted(CSET82), min_size=lo, max_size=hi)  # noqa: E731


@st.composite
def epcs(draw) -> EpcId:
    """A random valid EPC of every supported scheme, company prefix 6 to 12 digits."""
    scheme = draw(st.sampled_from(["sgtin", "lgtin", "sscc", "sgln", "pgln", "grai", "giai", "gtin", "grai-class"]))
    n = draw(st.integers(6, 12))
    cp = draw(digits(n))
    if scheme in ("sgtin", "lgtin", "gtin"):
        ref = draw(digits(13 - n))
        if scheme == "sgtin":
            return EpcId("sgtin", cp, item_ref=ref, serial=draw(cset82(1, 20)))
        if scheme == "lgtin":
            return EpcId("lgtin", cp, item_ref=ref, lot=draw(cset82(1, 20)))
        return EpcId("sgtin", cp, item_ref=ref, pattern=True)
    if scheme == "sscc":
        return EpcId("sscc", cp, serial_ref=draw(digits(17 - n)))
    if scheme == "sgln":
        return EpcId("sgln", cp, location_ref=draw(digits(12 - n)),
                     extension=draw(st.one_of(st.just("0"), cset82(1, 20))))
    if scheme == "pgln":
        return EpcId("pgln", cp, party_ref=draw(digits(12 - n)))
    if scheme == "grai":
        return EpcId("grai", cp, asset_type=draw(digits(12 - n)), serial=draw(cset82(1, 16)))
    if scheme == "grai-class":
        return EpcId("grai", cp, asset_type=draw(digits(12 - n)), pattern=True)
    return EpcId("giai", cp, asset_ref=draw(cset82(1, 30 - n)))


@FAST
@given(epcs())
def test_urn_digital_link_urn_is_identity(epc):
    urn = epc.urn
    assert parse_epc_urn(urn) == epc
    dl = to_digital_link(urn)
    assert dl.startswith("https://id.gs1.org/")
    n = len(epc.company_prefix)
    assert to_epc_urn(dl, gcp_length=n) == urn
    assert to_epc_urn(dl, company_prefixes=[epc.company_prefix]) == urn
    assert to_epc_urn(dl, company_prefixes=lambda d: n if d.startswith(epc.company_prefix) else None) == urn
    assert to_digital_link(dl) == dl


@FAST
@given(epcs())
def test_urn_element_string_urn_is_identity(epc):
    n = len(epc.company_prefix)
    bracketed = to_element_string(epc.urn)
    assert to_epc_urn(bracketed, gcp_length=n) == epc.urn
    fnc1 = format_fnc1(gs1_elements(bracketed))
    assert to_epc_urn("\x1d" + fnc1, gcp_length=n) == epc.urn  # FNC1 in first position
    assert to_epc_urn("]d2" + fnc1, gcp_length=n) == epc.urn
    assert to_element_string(to_digital_link(bracketed)) == bracketed


@FAST
@given(epcs())
def test_parse_identifier_agrees_with_converters(epc):
    info = parse_identifier(to_digital_link(epc.urn), company_prefixes=[epc.company_prefix])
    assert info["epc_urn"] == epc.urn
    assert info["kind"] == epc.kind
    assert info["element_string"] == to_element_string(epc.urn)
    assert info["errors"] == {}


@FAST
@given(st.sampled_from([7, 11, 12, 13, 17]), st.data())
def test_one_wrong_digit_is_caught(length, data):
    body = data.draw(digits(length))
    key = body + gs1_check_digit(body)
    verify_gs1_check_digit(key)
    pos = data.draw(st.integers(0, length))
    new = data.draw(st.sampled_from([d for d in "0123456789" if d != key[pos]]))
    bad = key[:pos] + new + key[pos + 1:]
    with pytest.raises(IdentifierError) as info:
        verify_gs1_check_digit(bad)
    assert info.value.part == "check_digit"
    values = {13: (f"https://id.gs1.org/01/{bad}/21/X", f"]C101{bad}21Y", f"01{bad}"),  # GTIN-14
              12: (f"(414){bad}", f"https://id.gs1.org/417/{bad}"),  # GLN
              17: (f"(00){bad}", f"]d200{bad}")}.get(length, ())  # SSCC
    for value in values:  # and through the converters
        with pytest.raises(IdentifierError) as info:
            to_digital_link(value)
        assert info.value.part == "check_digit"


@FAST
@given(cset82(1, 20))
def test_serial_escaping_round_trips(serial):
    urn = f"urn:epc:id:sgtin:0614141.812345.{serial}"
    epc = EpcId("sgtin", "0614141", item_ref="812345", serial=serial)
    assert parse_epc_urn(epc.urn).serial == serial
    assert all(ch not in epc.urn.split(".", 2)[2] for ch in '"&/<>?')
    try:  # the same text put in a URN unescaped
        raw = parse_epc_urn(urn)
    except IdentifierError as exc:
        assert exc.part == "serial" and any(ch in serial for ch in '"%&/<>?')
    else:  # only valid if it already was canonical, e.g. "%22" meaning '"'
        assert raw.urn == urn
        assert raw.serial == serial or "%" in serial


# --- company prefix lookup ------------------------------------------------------------------

DL = "https://id.gs1.org/01/04012345111118/21/ABC"


def test_company_prefix_longest_match_wins():
    assert to_epc_urn(DL, company_prefixes=["401234", "4012345"]) == "urn:epc:id:sgtin:4012345.011111.ABC"
    assert to_epc_urn(DL, company_prefixes={"40123451", "401234"}) == "urn:epc:id:sgtin:40123451.01111.ABC"
    assert to_epc_urn(DL, company_prefixes=["4012345"], gcp_length=9) == "urn:epc:id:sgtin:401234511.0111.ABC"


@pytest.mark.parametrize("value,offset_digits", [
    ("(00)340123450000000116", "401234500000000"),  # SSCC: after the extension digit
    ("(414)4012345000054", "401234500005"),  # GLN: from the start
    ("(8003)04012345000221334455", "401234500022"),  # GRAI: after the leading 0
    ("(8004)4012345ABC345", "4012345ABC345"),  # GIAI: the value
])
def test_company_prefix_callable_sees_prefix_digits(value, offset_digits):
    seen = []
    to_epc_urn(value, company_prefixes=lambda d: seen.append(d) or 7)
    assert seen[0].startswith(offset_digits[:12])
    assert to_epc_urn(value, company_prefixes=["4012345"]).split(":")[4].startswith("4012345.")


@pytest.mark.parametrize("kwargs,needle", [
    ({}, "gcp_length"),
    ({"company_prefixes": ["999999"]}, "no configured"),
    ({"company_prefixes": lambda d: None}, "does not know"),
    ({"gcp_length": 13}, "6 to 12"),
    ({"gcp_length": 5}, "6 to 12"),
])
def test_company_prefix_unknown(kwargs, needle):
    with pytest.raises(IdentifierError) as info:
        to_epc_urn(DL, **kwargs)
    assert info.value.part == "company_prefix"
    assert needle in str(info.value)


def test_urn_needs_no_lookup():
    assert to_epc_urn("urn:epc:id:sgtin:4012345.011111.ABC", company_prefixes=[]) == \
        "urn:epc:id:sgtin:4012345.011111.ABC"


# --- inputs and outputs -----------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    "urn:epc:id:sgtin:4012345.011111.A%2FB",
    "https://example.com/shop/01/4012345111118/21/A%2FB?17=261231",
    "(01)04012345111118(17)261231(10)L1(21)A/B",
    "0104012345111118172612311" + "0L1\x1d21A/B",
    "]d20104012345111118172612311" + "0L1\x1d21A/B",
    "]Q1https://id.gs1.org/01/04012345111118/21/A%2FB",
])
def test_every_input_form(value):
    assert to_epc_urn(value, gcp_length=7) == "urn:epc:id:sgtin:4012345.011111.A%2FB"
    assert to_digital_link(value) == "https://id.gs1.org/01/04012345111118/21/A%2FB"
    assert to_element_string(value) == "(01)04012345111118(21)A/B"


@pytest.mark.parametrize("value,urn,kind", [
    ("https://id.gs1.org/01/04012345111118/10/L%201", None, None),  # space is not CSET 82
    ("https://id.gs1.org/01/04012345111118/10/L1", "urn:epc:class:lgtin:4012345.011111.L1", "class"),
    ("https://id.gs1.org/01/04012345111118", "urn:epc:idpat:sgtin:4012345.011111.*", "class"),
    ("https://id.gs1.org/00/340123451111111111", "urn:epc:id:sscc:4012345.3111111111", "container"),
    ("https://id.gs1.org/414/4012345000054/254/7", "urn:epc:id:sgln:4012345.00005.7", "location"),
    ("https://id.gs1.org/414/4012345000054", "urn:epc:id:sgln:4012345.00005.0", "location"),
    ("https://id.gs1.org/417/4012345000054", "urn:epc:id:pgln:4012345.00005", "party"),
    ("https://id.gs1.org/8003/04012345000221334455", "urn:epc:id:grai:4012345.00022.334455", "asset"),
    ("https://id.gs1.org/8004/4012345ABC", "urn:epc:id:giai:4012345.ABC", "asset"),
    ("40123451111185", None, None),  # bare GTIN-14 with a wrong check digit -> element string, fails
    ("4012345111118", "urn:epc:idpat:sgtin:4012345.011111.*", "class"),  # bare GTIN-13
    ("340123451111111111", "urn:epc:id:sscc:4012345.3111111111", "container"),  # bare SSCC
])
def test_kinds(value, urn, kind):
    if urn is None:
        with pytest.raises(IdentifierError):
            to_epc_urn(value, gcp_length=7)
        return
    assert to_epc_urn(value, gcp_length=7) == urn
    assert parse_epc_urn(urn).kind == kind
    assert to_epc_urn(urn) == urn


def test_gs1_key():
    assert parse_epc_urn("urn:epc:id:sgtin:0614141.812345.6789").gs1_key == "80614141123458"
    assert parse_epc_urn("urn:epc:id:sscc:0614141.1234567890").gs1_key == "106141412345678908"
    assert parse_epc_urn("urn:epc:id:sgln:0614141.12345.400").gs1_key == "0614141123452"
    assert parse_epc_urn("urn:epc:id:grai:0614141.12345.400").gs1_key == "00614141123452400"
    assert parse_epc_urn("urn:epc:class:lgtin:0614141.812345.L1").lot == "L1"


@pytest.mark.parametrize("urn,part", [
    ("urn:epc:id:sgtin:061414.812345.1", "item_ref"),
    ("urn:epc:id:sgtin:06141.8123456.1", "company_prefix"),
    ("urn:epc:id:sgtin:0614141.812345", "serial"),
    ("urn:epc:id:sgtin:0614141.812345." + "9" * 21, "serial"),
    ("urn:epc:id:sgtin:0614141.812345.a b", "serial"),
    ("urn:epc:id:sgtin:0614141.812345.a%21b", "serial"),
    ("urn:epc:id:sgtin:0614141.81234x.1", "item_ref"),
    ("urn:epc:id:grai:0614141.12345." + "9" * 17, "serial"),
    ("urn:epc:id:giai:0614141." + "A" * 24, "asset_ref"),
    ("urn:epc:id:gdti:0614141.12345.400", "scheme"),
    ("urn:epc:id:foo:0614141.12345.400", "scheme"),
    ("urn:epc:idpat:sgtin:0614141.*.*", "pattern"),
    ("urn:epc:tag:sgtin-96:1.0614141.812345.6789", "uri"),
    ("urn:isbn:123", "uri"),
])
def test_urn_errors_name_the_part(urn, part):
    with pytest.raises(IdentifierError) as info:
        parse_epc_urn(urn)
    err = info.value
    assert (err.part, err.value) == (part, urn)
    assert str(err).startswith("Invalid ") and str(err).endswith(".")
    assert err.reason in str(err)


def test_identifier_error_is_a_value_error():
    err = IdentifierError("x", "check_digit", "the check digit should be 2, not 3")
    assert isinstance(err, ValueError)
    assert str(err) == "Invalid check digit in 'x': the check digit should be 2, not 3."


def test_digital_link_query_is_ignored_for_the_identity():
    for query in ("?17=261231", "?17=999999", "?99=", "?21=OTHER", "?linkType=all", "?10=A&10=B"):
        value = "https://example.com/01/04012345111118/21/S1" + query
        assert to_epc_urn(value, gcp_length=7) == "urn:epc:id:sgtin:4012345.011111.S1"
    info = parse_identifier("https://example.com/01/04012345111118/21/S1?17=261231")
    assert info["gs1"]["expiry"] == "2026-12-31"


@pytest.mark.parametrize("value,part", [
    ("https://id.gs1.org/8006/040123451234560102/21/1", "scheme"),
    ("https://id.gs1.org/01/04012345111118/235/TPX1", "scheme"),
    ("(253)4012345000092PO", "scheme"),
    ("(99)FREE", "scheme"),
    ("(21)ABC", "serial"),  # a serial needs its GTIN
    ("(01)04012345111118(21)A(21)B", "serial"),
    ("https://id.gs1.org/01/04012345111118/21/A/10/B", "uri"),  # qualifiers out of order
    ("ftp://id.gs1.org/01/04012345111118", "input"),
    ("+A123BJC5D6E71G", "scheme"),  # HIBCC has no GS1 form
    ("", "input"),
])
def test_conversion_errors(value, part):
    with pytest.raises(IdentifierError) as info:
        to_digital_link(value)
    assert info.value.part == part


def test_parse_identifier_udi_scan():
    info = parse_identifier("]d20104012345111118172612311" + "0L1\x1d21S1", company_prefixes=["4012345"])
    assert info == {
        "input": "]d20104012345111118172612311" + "0L1\x1d21S1",
        "kind": "serial",
        "epc_urn": "urn:epc:id:sgtin:4012345.011111.S1",
        "digital_link": "https://id.gs1.org/01/04012345111118/21/S1",
        "element_string": "(01)04012345111118(21)S1",
        "gs1": {"gtin": "04012345111118", "serial": "S1", "lot": "L1", "expiry": "2026-12-31",
                "production_date": None, "sscc": None, "gln": None, "gln_extension": None,
                "party_gln": None, "grai": None, "giai": None},
        "hibcc": None,
        "errors": {},
    }


def test_parse_identifier_without_prefix_still_gives_other_forms():
    info = parse_identifier("(00)340123451111111111")
    assert info["epc_urn"] is None and "company prefix" in info["errors"]["epc_urn"]
    assert info["digital_link"] == "https://id.gs1.org/00/340123451111111111"
    assert info["kind"] == "container"


def test_parse_identifier_hibcc():
    info = parse_identifier("+A123BJC5D6E71G")
    assert info["kind"] == "class" and info["epc_urn"] is None and info["gs1"] is None
    assert info["hibcc"]["lic"] == "A123" and info["hibcc"]["primary_di"] == "A123BJC5D6E71"
