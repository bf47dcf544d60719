"""GS1 syntax engine vectors (shared/conformance/gs1-barcode/gs1-syntax-engine/).

A vector is walked when it concerns the AIs we interpret: every AI it mentions is in
RELEVANT_AIS (the supported AIs; the (01) qualifiers (22)/(235) that decide its EPC
scheme; (02), (37), (255), whose pairing with (00)/(01) we check; the company-internal
(90)-(99) the vectors use as filler), or it mentions no AI (pure URI or element-string
syntax, plain-text scans). Not walked: macros for engine internals
(`test_existsInAIdata`, `test_errMarkup`), records whose input is an unresolved C
variable, and scanner-data generation that the engine refuses (nothing to parse).
Scanner-data generation vectors are walked backwards: we must read what the engine
emits (same elements as its input where that input is plain FNC1 data).

"^" is FNC1 in these files: a leading "^" marks GS1 data, later ones become GS (0x1D).
"""
from __future__ import annotations

import json
import re

import pytest
from biip import ParseError
from biip.gs1_application_identifiers import GS1ApplicationIdentifier

from core.identifiers import (
    IdentifierError,
    gs1_check_digit,
    gs1_elements,
    verify_gs1_check_digit,
)
from core.identifiers.charset import first_non_cset82
from core.identifiers.digital_link import (
    CANONICAL_STEM,
    SHORT_NAMES,
    format_digital_link,
    parse_digital_link,
    uri_escape,
    uri_unescape,
)
from core.identifiers.element_string import format_fnc1, parse_bracketed, parse_fnc1
from core.identifiers.gs1 import check_associations
from tests.conformance import conformance_path

RELEVANT_AIS = {"00", "01", "10", "11", "17", "21", "240", "250", "254", "414", "417", "8003", "8004",
                "22", "235", "02", "37", "255", *(str(n) for n in range(90, 100))}

# Our fixed policy differs from the engine settings these vectors switch off:
# we always accept convenience alphas ("/gtin/") and zero-suppressed GTINs in URIs
# (the Digital Link spec's legacy forms; the hash-normaliser vectors need both).
POLICY_ACCEPTS = {
    1435: "convenience alpha /gtin/ with permitConvenienceAlphas off",
    1454: "GTIN-13 in a URI with zero-suppression off", 1464: "GTIN-12 in a URI with zero-suppression off",
    1474: "GTIN-8 in a URI with zero-suppression off", 1489: "GTIN-13 in the query with zero-suppression off",
    1499: "GTIN-8 in the query with zero-suppression off",
    1708: "element string typed without a leading FNC1: we accept digits-first input",
}


def _cases(name: str) -> list[dict]:
    return json.loads(conformance_path("gs1-barcode", "gs1-syntax-engine", name).read_text())["cases"]


def _ai(token: str) -> str:
    """The AI if biip knows exactly this code, else "?"."""
    try:
        ai = GS1ApplicationIdentifier.extract(token)
    except ParseError:
        return "?"
    return ai.ai if ai.ai == token[:len(ai.ai)] and len(token) >= len(ai.ai) else "?"


def _ais_fnc1(data: str) -> set[str]:
    out: set[str] = set()
    for seg in re.split(r"[\^\x1d|]", data.replace("]e0", "")):
        first = True
        while seg:
            try:
                ai = GS1ApplicationIdentifier.extract(seg)
            except ParseError:
                if first and seg[:1].isdigit():  # an unknown AI; plain text names none
                    out.add("?")
                break
            out.add(ai.ai)
            first = False
            fixed = re.fullmatch(r"N\d\+N(\d+)", ai.format)
            if ai.separator_required or not fixed:
                break
            seg = seg[len(ai.ai) + int(fixed.group(1)):]
    return out


def _ais_bracketed(data: str) -> set[str]:
    out = set()
    for token in re.findall(r"\((\d+)\)", data):
        if 2 <= len(token) <= 4:
            out.add(token if _ai(token) == token else "?")
    return out


def _ais_uri(uri: str) -> set[str]:
    m = re.match(r"[^:]*://[^/?#]*([^?#]*)(\?[^#]*)?", uri)
    if not m:
        return set()
    out = set()
    for seg in m.group(1).split("/"):
        seg = SHORT_NAMES.get(seg, seg)
        if re.fullmatch(r"\d{2,4}", seg) and _ai(seg) == seg:
            out.add(seg)
    for param in (m.group(2) or "")[1:].split("&"):
        key = param.split("=")[0]
        if key.isdigit():
            out.add(key if _ai(key) == key else "?")
    return out


def _ais(value: str) -> set[str]:
    symbology = value[:3] if value.startswith("]") else ""
    value = value[len(symbology):]
    if value.lower().startswith(("http://", "https://")):
        return _ais_uri(value)
    if value.startswith("("):
        return _ais_bracketed(value)
    head, bar, tail = value.partition("|")
    if symbology[:2] in ("]E", "]I") or (not symbology and head.isdigit() and len(head) in (8, 12, 13, 14)):
        return {"01"} | (_ais_fnc1(tail) if bar else set())  # EAN/UPC/ITF data: a bare GTIN
    return _ais_fnc1(value)


def _relevant(*values: str) -> bool:
    return set().union(*(_ais(v) for v in values if v)) <= RELEVANT_AIS


def _has_c_expr(case: dict) -> bool:
    return any(isinstance(v, dict) and "c_expr" in v for v in case.values())


def _ids(cases: list[dict]) -> list[str]:
    return [f"L{c['line']}" for c in cases]


def _engine_fnc1(data: str) -> str:
    """Engine notation ("^01...^10...") to the string a scanner sends (GS separators)."""
    return data[1:].replace("^", "\x1d") if data.startswith("^") else data


def _fnc1_out(elements) -> str:
    return "^" + format_fnc1(elements, gs="^")


# --- Digital Link URI -> element string --------------------------------------------------------

DL = _cases("dl-uri-parse-generate.json")
DL_PARSE = [c for c in DL if c["macro"] == "test_parseDLuri"
            and _relevant(c["dl_uri"], c["expected_ai_element_string"])]


@pytest.mark.parametrize("case", DL_PARSE, ids=_ids(DL_PARSE))
def test_dl_uri_parse(case):
    uri = case["dl_uri"]
    if case["line"] in POLICY_ACCEPTS:
        parse_digital_link(uri)
    elif case["should_succeed"]:
        elements, _ = parse_digital_link(uri)
        assert _fnc1_out(elements) == case["expected_ai_element_string"]
    else:
        with pytest.raises(IdentifierError):
            parse_digital_link(uri)


DL_GENERATE = [c for c in DL if c["macro"] == "test_testGenerateDLuri" and _relevant(c["ai_element_string"])]


@pytest.mark.parametrize("case", DL_GENERATE, ids=_ids(DL_GENERATE))
def test_dl_uri_generate(case):
    def generate():
        elements = parse_bracketed(case["ai_element_string"])
        check_associations(elements, case["ai_element_string"])
        return format_digital_link(elements, case["stem"] or CANONICAL_STEM)

    if case["should_succeed"]:
        assert generate() == case["expected_dl_uri"]
    else:
        with pytest.raises(IdentifierError):
            generate()


DL_ESCAPES = [c for c in DL if c["macro"] in ("test_URIescape", "test_URIunescape")]


@pytest.mark.parametrize("case", DL_ESCAPES, ids=[f"L{c['line']}-{c['macro'][5:]}" for c in DL_ESCAPES])
def test_uri_escaping(case):
    if case["macro"] == "test_URIescape":
        assert uri_escape(case["input"]) == case["expected_path_escaped"]
        assert uri_escape(case["input"], query=True) == case["expected_query_escaped"]
    else:
        assert uri_unescape(case["input"]) == case["expected_path_unescaped"]
        assert uri_unescape(case["input"], query=True) == case["expected_query_unescaped"]


# --- Scanner output (AIM symbology identifiers) ---------------------------------------------------

SCAN = _cases("barcode-scan-data.json")


def _outcome(value: str):
    try:
        return "ok", tuple(gs1_elements(value))
    except IdentifierError:
        return "error", None


def _engine_data_as_input(data: str, scan: str) -> str:
    """processScanData's output in our input notation (composites keep the scan's prefix)."""
    if "|" in data:  # linear symbol + composite: "2112345678900|^99..." -> "]E0...|]e099..."
        head, tail = data.split("|", 1)
        return scan[:3] + head + "|]e0" + _engine_fnc1(tail)
    return _engine_fnc1(data)


SCAN_PROCESS = [c for c in SCAN if c["macro"] == "test_testProcessScanData"
                and _relevant(c["scan_data"], c["expected_data"])]


@pytest.mark.parametrize("case", SCAN_PROCESS, ids=_ids(SCAN_PROCESS))
def test_scan_data_process(case):
    scan, data = case["scan_data"], case["expected_data"]
    got = _outcome(scan)
    if not case["should_succeed"]:
        assert got[0] == "error"
        return
    # The scan must mean exactly what the engine extracted from it.
    assert got == _outcome(_engine_data_as_input(data, scan))
    if data.startswith("^") or data.split("|")[0].isdigit():
        assert got[0] == "ok"


SCAN_GENERATE = [c for c in SCAN if c["macro"] == "test_testGenerateScanData" and c["expected_scan_data"]
                 and _relevant(c["data"], c["expected_scan_data"])]


@pytest.mark.parametrize("case", SCAN_GENERATE, ids=_ids(SCAN_GENERATE))
def test_scan_data_generated_parses_back(case):
    """What the engine emits as GS1 scanner data we read; plain-text symbols we refuse."""
    scan, data = case["expected_scan_data"], case["data"]
    got = _outcome(scan)
    assert (got[0] == "ok") == (data.startswith("^") or data.split("|")[0].isdigit())
    if data.startswith("^") and "|" not in data:  # same elements as the engine's input
        assert got == _outcome(_engine_fnc1(data.removesuffix("^")))


# --- AI element strings ------------------------------------------------------------------------

AI = [c for c in _cases("ai-element-strings.json") if not _has_c_expr(c)]
AI_PARSE = [c for c in AI if c["macro"] == "test_parseAIdata" and _relevant(c["bracketed_ai_string"])]


@pytest.mark.parametrize("case", AI_PARSE, ids=_ids(AI_PARSE))
def test_ai_bracketed_parse(case):
    if case["should_succeed"]:
        assert _fnc1_out(parse_bracketed(case["bracketed_ai_string"])) == case["expected_element_string"]
    else:
        with pytest.raises(IdentifierError):
            parse_bracketed(case["bracketed_ai_string"])


AI_PROCESS = [c for c in AI if c["macro"] == "test_processAIdata" and _relevant(c["element_string"])]


@pytest.mark.parametrize("case", AI_PROCESS, ids=_ids(AI_PROCESS))
def test_ai_element_string_process(case):
    data = case["element_string"]
    if case["line"] in POLICY_ACCEPTS:
        parse_fnc1(data)
    elif case["should_succeed"]:
        elements = parse_fnc1(_engine_fnc1(data))
        # Round trip: our FNC1 form re-parses to the same elements.
        assert parse_fnc1(format_fnc1(elements)) == elements
    else:
        with pytest.raises(IdentifierError):
            parse_fnc1(_engine_fnc1(data))


AI_VALIDATE = [c for c in AI if c["macro"] == "test_validateAIs" and _relevant(c["bracketed_or_element_string"])]


@pytest.mark.parametrize("case", AI_VALIDATE, ids=[f"L{c['line']}-{c['validation']}" for c in AI_VALIDATE])
def test_ai_associations(case):
    data = case["bracketed_or_element_string"]

    def validate():
        elements = parse_bracketed(data) if data.startswith("(") else parse_fnc1(_engine_fnc1(data))
        check_associations(elements, data)

    if case["should_succeed"]:
        validate()
    else:
        with pytest.raises(IdentifierError):
            validate()


# --- Linters: GS1 mod-10 check digit and character set 82 ------------------------------------

LINTERS = _cases("syntax-dictionary-linters.json")
CSUM = [c for c in LINTERS if c["linter"] == "gs1_lint_csum"]
CSET82 = [c for c in LINTERS if c["linter"] == "gs1_lint_cset82"]


@pytest.mark.parametrize("case", CSUM, ids=_ids(CSUM))
def test_lint_check_digit(case):
    data = case["data"]
    if case["should_succeed"]:
        verify_gs1_check_digit(data)
        assert gs1_check_digit(data[:-1]) == data[-1]
        return
    with pytest.raises(IdentifierError) as info:
        verify_gs1_check_digit(data)
    if case["expected_error"] == "GS1_LINTER_INCORRECT_CHECK_DIGIT":
        assert info.value.part == "check_digit"
        assert gs1_check_digit(data[:-1]) != data[-1]


@pytest.mark.parametrize("case", CSET82, ids=_ids(CSET82))
def test_lint_cset82(case):
    bad = first_non_cset82(case["data"])
    if case["should_succeed"]:
        assert bad == -1
    else:
        assert bad == case["expected_error_highlight"].index("*")
