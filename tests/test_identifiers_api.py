"""GET /v1/identifiers/parse: every form of an identifier, over HTTP.

The module itself is held to the conformance vectors in tests/test_identifiers_*.py;
here every vector goes through the endpoint, which must answer exactly what the
module answers (200 with all forms) or refuse it as the module does (422, same part).
"""
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.identifiers import IdentifierError, gs1_check_digit, parse_identifier
from tests.conformance import conformance_path

PROBLEM = "application/problem+json"


def _vectors() -> list[str]:
    dl = json.loads(conformance_path("identifiers", "epc-urn-to-digital-link.RalphTro-dl_normaliser.json")
                    .read_text())["cases"]
    scans = json.loads(conformance_path("gs1-barcode", "gs1-syntax-engine", "barcode-scan-data.json")
                       .read_text())["cases"]
    values = [c["input"] for c in dl] + [c["expected"] for c in dl if c.get("expected")]
    values += [c["expected_scan_data"] for c in scans if c.get("expected_scan_data")]
    return sorted({v for v in values if isinstance(v, str) and v})


VECTORS = _vectors()


def _get(client, value: str, **params):
    return client.get("/v1/identifiers/parse", params={"value": value, **params})


def test_every_vector_answers_as_the_module_does(client):
    mismatches = []
    for value in VECTORS:
        response = _get(client, value)
        try:
            expected = (200, parse_identifier(value, company_prefixes=set()))
        except IdentifierError as exc:
            expected = (422, exc.part)
        got = (response.status_code, response.json() if response.status_code == 200 else response.json().get("part"))
        if got != expected:
            mismatches.append((value, got, expected))
    assert mismatches == []


def test_vectors_cover_accepted_and_refused_values(client):
    statuses = {_get(client, v).status_code for v in VECTORS}
    assert statuses == {200, 422}


def test_sgtin_urn_gives_every_form(client):
    body = _get(client, "urn:epc:id:sgtin:0614141.812345.6789").json()
    assert (body["kind"], body["digital_link"], body["element_string"], body["gs1"]["serial"]) == \
        ("serial", "https://id.gs1.org/01/80614141123458/21/6789", "(01)80614141123458(21)6789", "6789")


def test_udi_datamatrix_scan_with_company_prefix_length(client):
    scan = "]d2" + "0100614141200139" + "17300602" + "10CSV2506A\x1d" + "21CSV0000001"
    body = _get(client, scan, gcp_length=7).json()
    assert (body["epc_urn"], body["gs1"]["lot"], body["gs1"]["expiry"]) == \
        ("urn:epc:id:sgtin:0614141.020013.CSV0000001", "CSV2506A", "2030-06-02")


def test_epc_urn_needs_a_known_prefix_and_says_so(client):
    body = _get(client, "(01)00614141200139(21)X1").json()
    assert (body["epc_urn"], list(body["errors"])) == (None, ["epc_urn"])


def test_hibcc_udi(client):
    body = _get(client, "+A123BJC5D6E71G").json()
    assert (body["kind"], body["hibcc"] is not None, body["digital_link"]) == ("class", True, None)


def test_bad_check_digit_is_a_problem_naming_the_part(client):
    response = _get(client, "(01)00614141200136(21)X1")
    assert (response.status_code, response.headers["content-type"], response.json()["type"],
            response.json()["part"]) == (422, PROBLEM, "https://tracegraph.dev/problems/invalid-identifier",
                                         "check_digit")


def test_missing_value_is_a_validation_problem(client):
    response = client.get("/v1/identifiers/parse")
    assert (response.status_code, response.json()["field"]) == (422, "value")


_SERIAL = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=1, max_size=20)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(item=st.integers(0, 99999), serial=_SERIAL)
def test_round_trip_element_string_urn_digital_link(client, item, serial):
    body = "0" + "0614141" + f"{item:05d}"
    gtin = body + gs1_check_digit(body)
    first = _get(client, f"(01){gtin}(21){serial}", gcp_length=7).json()
    again = _get(client, first["epc_urn"]).json()
    via_link = _get(client, first["digital_link"], gcp_length=7).json()
    assert (again["element_string"], via_link["epc_urn"]) == (f"(01){gtin}(21){serial}", first["epc_urn"])
