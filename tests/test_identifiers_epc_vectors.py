"""EPC URN <-> GS1 Digital Link conformance vectors: every case of both files in
shared/conformance/identifiers/ is one test.

Rules applied to all vectors:
* A vector about an EPC scheme / GS1 key we do not support (gdti, cpi, gsrn, itip,
  upui, ...) must raise IdentifierError(part="scheme") if the source calls it valid,
  and any IdentifierError if the source rejects it.
* Our canonical Digital Link escapes every character outside RFC 3986 "unreserved"
  (as GS1's syntax engine and the event-hash normaliser do); openepcis leaves
  sub-delims like "!()" raw, so its expected URIs are re-escaped before comparing.
* openepcis finds company prefix lengths in GS1's prefix table; we take them from
  configuration. Where it passes no length, we pass the one its expected URN shows
  and check that without it we raise part="company_prefix".
"""
from __future__ import annotations

import json
import re
from urllib.parse import quote, unquote

import pytest

from core.identifiers import IdentifierError, parse_epc_urn, to_digital_link, to_epc_urn
from tests.conformance import conformance_path


def _cases(name: str) -> list[dict]:
    return json.loads(conformance_path("identifiers", name).read_text())["cases"]


RALPHTRO = _cases("epc-urn-to-digital-link.RalphTro-dl_normaliser.json")
OPENEPCIS = _cases("epc-urn-digital-link.openepcis-translator.json")

UNSUPPORTED_SCHEMES = {"gdti", "cpi", "gsrn", "gsrnp", "sgcn", "ginc", "gsin", "itip", "upui"}
UNSUPPORTED_KEY_AIS = {"253", "255", "401", "402", "8006", "8010", "8017", "8018"}
UNSUPPORTED_FILES = {"GDTI", "GSRN", "GSRNP", "GSIN", "GINC", "CPI", "ITIP", "UPUI", "GCN"}

# Vectors whose expectation we do not share, with the part our IdentifierError names instead.
_RAW_IN_URN = "raw character the EPC TDS requires as a %-escape (\" % & / < > ?)"
_RAW_IN_URI = "raw \" < > or a stray % in a URI (RFC 3986); openepcis accepts and echoes them"
RALPHTRO_DIFFERENT = {
    53: ("check_digit", "GTIN-8 with a wrong check digit; the hash normaliser does not verify it"),
    71: ("check_digit", "GTIN-12 with a wrong check digit; the hash normaliser does not verify it"),
}
OPENEPCIS_DIFFERENT = {
    ("SGTIN", 62): ("serial", _RAW_IN_URN), ("SGTIN", 65): ("serial", _RAW_IN_URN),
    ("SGLN", 63): ("extension", _RAW_IN_URN), ("LGTIN", 57): ("lot", _RAW_IN_URN),
    ("LGTIN", 58): ("lot", _RAW_IN_URN), ("LGTIN", 118): ("lot", _RAW_IN_URN),
    ("GRAI", 57): ("serial", _RAW_IN_URN), ("GRAI", 58): ("serial", _RAW_IN_URN),
    ("GIAI", 58): ("asset_ref", _RAW_IN_URN),
    ("SGTIN", 102): ("uri", _RAW_IN_URI), ("SGTIN", 105): ("uri", _RAW_IN_URI),
    ("GRAI", 77): ("uri", _RAW_IN_URI), ("GRAI", 78): ("uri", _RAW_IN_URI),
    ("GIAI", 84): ("uri", _RAW_IN_URI), ("GIAI", 87): ("uri", _RAW_IN_URI),
    ("GIAI", 90): ("giai", "a 31-character GIAI; AI (8004) allows 30"),
}


def _urn_scheme(value: object) -> str | None:
    m = re.match(r"urn:epc:(?:id|class|idpat):([a-z]+):", value) if isinstance(value, str) else None
    return m.group(1) if m else None


def _dl_key(uri: str) -> str:
    return re.match(r"https://id\.gs1\.org/(\d+)/", uri).group(1)


def _reescape(uri: str) -> str:
    """Expected DL with each path segment re-escaped the way our canonical form does."""
    m = re.fullmatch(r"(https://[^/]+)(/[^?]*)", uri)
    return m.group(1) + "".join("/" + quote(unquote(s), safe="") for s in m.group(2).split("/")[1:])


def _raises(part: str | None, fn, *args, **kwargs) -> IdentifierError:
    with pytest.raises(IdentifierError) as info:
        fn(*args, **kwargs)
    if part is not None:
        assert info.value.part == part, str(info.value)
    assert str(info.value).startswith("Invalid ")
    return info.value


@pytest.mark.parametrize("case", RALPHTRO, ids=[f"L{c['line']}" for c in RALPHTRO])
def test_ralphtro_dl_normaliser(case):
    value, expected = case["input"], case["expected"]
    if case["line"] in RALPHTRO_DIFFERENT:
        _raises(RALPHTRO_DIFFERENT[case["line"]][0], to_digital_link, value)
        return
    if case["expect_invalid"]:
        _raises(None, to_digital_link, value)
        return
    if _urn_scheme(value) in UNSUPPORTED_SCHEMES or _dl_key(expected) in UNSUPPORTED_KEY_AIS or "/235/" in expected:
        _raises("scheme", to_digital_link, value)
        return
    assert to_digital_link(value) == expected
    if _urn_scheme(value):  # and back, with the prefix length the URN shows
        epc = parse_epc_urn(value)
        assert to_epc_urn(expected, gcp_length=len(epc.company_prefix)) == epc.urn


def _oe_id(c: dict) -> str:
    return f"{c['file'].removesuffix('Test.java')}-L{c['line']}-{c['method']}"


@pytest.mark.parametrize("case", OPENEPCIS, ids=[_oe_id(c) for c in OPENEPCIS])
def test_openepcis_translator(case):
    family = case["file"].removesuffix("Test.java")
    value, expected, gcp = case["input"], case["expected"], case.get("gcp_length")
    to_dl = case["direction"] == "urn_to_dl"

    def convert(**kw):
        return to_digital_link(value) if to_dl else to_epc_urn(value, **kw)

    if (family, case["line"]) in OPENEPCIS_DIFFERENT:
        _raises(OPENEPCIS_DIFFERENT[family, case["line"]][0], convert, gcp_length=gcp)
        return
    if family in UNSUPPORTED_FILES:
        _raises("scheme" if case["valid"] else None, convert, gcp_length=gcp)
        return
    if not case["valid"]:
        _raises(None, convert, gcp_length=gcp)
        return
    if to_dl:
        got = convert()
        assert got == _reescape(expected)
        epc = parse_epc_urn(value)
        assert to_epc_urn(got, gcp_length=len(epc.company_prefix)) == epc.urn
        return
    cp = expected.split(":")[4].split(".")[0]
    if gcp is None:
        _raises("company_prefix", convert)
        gcp = len(cp)
        assert convert(company_prefixes=[cp, cp[:6]]) == expected
        assert convert(company_prefixes=lambda digits: len(cp) if digits.startswith(cp) else None) == expected
    assert convert(gcp_length=gcp) == expected
