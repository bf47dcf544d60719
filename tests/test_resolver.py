"""GS1 Digital Link resolver (issue 19): linksets, linkType redirects, the console redirect,
unknown keys, and the partner disclosure of GET /v1/verify."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from core.identifiers import to_digital_link
from tests import partners as p
from tests import scenario as s

GS1 = "https://gs1.org/voc/"


def path(epc: str) -> str:
    return to_digital_link(epc).removeprefix("https://id.gs1.org")


@pytest.fixture
def api(client):
    p.load(client.app.state.db)
    return client


def _links(response) -> dict:
    return response.json()["linkset"][0]


def test_a_serial_resolves_to_a_linkset(api):
    response = api.get(path(s.D1))
    assert (response.status_code, response.headers["content-type"], _links(response)["anchor"]) == \
        (200, "application/linkset+json", to_digital_link(s.D1))


def test_the_linkset_has_the_gs1_link_types(api):
    links = _links(api.get(path(s.D1)))
    assert {GS1 + t for t in ("epcis", "traceability", "pip", "recallStatus", "defaultLink")} <= set(links)


def test_the_epcis_link_answers_with_the_serials_events(api):
    href = _links(api.get(path(s.D1)))[GS1 + "epcis"][0]["href"]
    events = api.get(href).json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert events and all(s.D1 in str(e) or s.CASE in str(e) for e in events)


def test_short_names_resolve_alike(api):
    gtin_path = path(s.D1).replace("/01/", "/gtin/").replace("/21/", "/ser/")
    assert _links(api.get(gtin_path))["anchor"] == to_digital_link(s.D1)


def test_qualifiers_resolve_to_the_serial(api):
    with_lot = path(s.D1).replace("/21/", "/10/FG1/21/")
    assert _links(api.get(with_lot))["anchor"] == to_digital_link(s.D1)


def test_a_lot_resolves(api):
    assert _links(api.get(path(s.FG1)))["anchor"] == to_digital_link(s.FG1)


def test_an_sscc_resolves(api):
    assert _links(api.get(path(s.PALLET)))["anchor"] == to_digital_link(s.PALLET)


def test_link_type_redirects_to_that_link(api):
    response = api.get(path(s.D1), params={"linkType": "gs1:epcis"}, follow_redirects=False)
    assert (response.status_code, response.headers["location"].endswith(f"/epcis/epcs/{quote(s.D1, safe='')}/events")) \
        == (307, True)


def test_an_unavailable_link_type_redirects_to_the_default_link(api):
    response = api.get(path(s.D1), params={"linkType": "gs1:certificationInfo"}, follow_redirects=False)
    assert (response.status_code, f"/console/serial/{quote(s.D1, safe='')}" in response.headers["location"]) == \
        (307, True)


def test_a_browser_goes_to_the_console_page(api):
    response = api.get(path(s.D1), headers={"Accept": "text/html,application/xhtml+xml"}, follow_redirects=False)
    assert (response.status_code, response.headers["location"].endswith(f"/console/serial/{quote(s.D1, safe='')}")) \
        == (307, True)


def test_an_unknown_serial_is_a_404_problem(api):
    response = api.get(path(s.D1).replace("/21/D1", "/21/NOPE"))
    assert (response.status_code, response.headers["content-type"]) == (404, "application/problem+json")


def test_a_malformed_key_is_a_404_problem(api):
    response = api.get("/01/12345678901234/21/X")  # bad check digit
    assert (response.status_code, response.headers["content-type"]) == (404, "application/problem+json")


def test_recall_status_follows_a_saved_scope(api):
    before = _links(api.get(path(s.D1)))[GS1 + "recallStatus"][0]["recalled"]
    api.post("/v1/recall-scope", json={"starts": [{"kind": "lot", "id": s.FG1}], "save": True})
    after = _links(api.get(path(s.D1)))[GS1 + "recallStatus"][0]
    assert (before, after["recalled"], "/v1/recall-scope/" in after["href"]) == (["false"], ["true"], True)


def test_a_recalled_lot_says_so(api):
    api.post("/v1/recall-scope", json={"starts": [{"kind": "lot", "id": s.FG1}], "save": True})
    assert _links(api.get(path(s.FG1)))[GS1 + "recallStatus"][0]["recalled"] == ["true"]


def test_a_partner_resolves_its_own_serial_without_internal_links(api, client_as):
    partner = client_as("partner", party=p.DIST)
    links = _links(partner.get(path(s.D1)))
    assert (GS1 + "recallStatus" in links, GS1 + "traceability" in links) == (True, False)


def test_a_partner_gets_404_for_a_foreign_serial(api, client_as):
    partner = client_as("partner", party=p.DIST)
    assert partner.get(path(s.D3)).status_code == 404


def test_a_partner_gets_404_for_a_foreign_container(api, client_as):
    partner = client_as("partner", party=p.OTHER)
    assert partner.get(path(s.PALLET)).status_code == 404


def test_a_partner_resolves_a_container_it_received(api, client_as):
    partner = client_as("partner", party=p.DIST)
    assert partner.get(path(s.PALLET)).status_code == 200


def test_no_credentials_is_401(api):
    del api.headers["Authorization"]
    assert api.get(path(s.D1)).status_code == 401
