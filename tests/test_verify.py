"""GET /v1/verify: partner-tier answers, scoped to the asking party."""
import pytest

from core.identifiers import to_digital_link
from tests import partners as p
from tests import scenario as s

PARTNER_FIELDS = {"epc", "verified", "gtin", "serial", "product", "manufacturer", "lot", "expiry", "recalled",
                  "on_hold", "decommissioned", "legitimate_holder"}


@pytest.fixture
def api(client):
    p.load(client.app.state.db)
    return client


def test_admin_sees_a_genuine_serial(api):
    body = api.get("/v1/verify", params={"id": s.D1}).json()
    assert (body["verified"], body["product"], body["manufacturer"], body["lot"], body["decommissioned"],
            body["legitimate_holder"]) == (True, "Infusion pump", "Acme Medical", "FG1", False, None)


def test_internal_caller_may_ask_about_a_party(api):
    assert api.get("/v1/verify", params={"id": s.D1, "party": p.DIST}).json()["legitimate_holder"] is True
    assert api.get("/v1/verify", params={"id": s.D3, "party": p.DIST}).json()["legitimate_holder"] is False


def test_digital_link_is_accepted(api):
    assert api.get("/v1/verify", params={"id": to_digital_link(s.D1)}).json()["epc"] == s.D1


@pytest.mark.parametrize("party", [p.DIST, p.HOSP])
def test_partner_that_handled_the_serial_gets_the_partner_tier(api, client_as, party):
    response = client_as("partner", party=party).get("/v1/verify", params={"id": s.D1})
    assert (response.status_code, set(response.json()), response.json()["legitimate_holder"]) == \
        (200, PARTNER_FIELDS, True)


def test_decommissioned_serial_says_so(api, client_as):
    body = client_as("partner", party=p.HOSP).get("/v1/verify", params={"id": s.D2}).json()
    assert body["decommissioned"] is True


@pytest.mark.parametrize("party,serial", [(p.OTHER, s.D1), (p.DIST, s.D3), (p.HOSP, s.D3)])
def test_foreign_serial_looks_exactly_like_an_unknown_one(api, client_as, party, serial):
    partner = client_as("partner", party=party)
    foreign = partner.get("/v1/verify", params={"id": serial})
    unknown = partner.get("/v1/verify", params={"id": s.D1[:-2] + "ZZ"})
    assert (foreign.status_code, foreign.json()["type"], foreign.json()["detail"].replace(serial, "X")) == \
        (unknown.status_code, unknown.json()["type"], unknown.json()["detail"].replace(s.D1[:-2] + "ZZ", "X"))


def test_partner_cannot_ask_about_another_party(api, client_as):
    response = client_as("partner", party=p.OTHER).get("/v1/verify", params={"id": s.D1, "party": p.DIST})
    assert response.status_code == 404


@pytest.mark.parametrize("path", [f"/v1/serials/{s.D1}", f"/v1/serials/{s.D1}/timeline",
                                  f"/v1/trace/forward?id={s.D1}", f"/v1/trace/backward?id={s.D1}"])
def test_partner_never_reaches_internal_fields(api, client_as, path):
    assert client_as("partner", party=p.DIST).get(path).status_code == 403


def test_lot_is_not_verifiable(api):
    response = api.get("/v1/verify", params={"id": s.FG1})
    assert (response.status_code, response.json()["field"]) == (422, "id")


def test_serial_in_a_saved_recall_scope_is_flagged_recalled(api):
    assert api.get("/v1/verify", params={"id": s.D1}).json()["recalled"] is False
    saved = api.post("/v1/recall-scope", json={"starts": [{"kind": "lot", "id": s.FG1}], "save": True})
    assert saved.status_code == 200
    assert api.get("/v1/verify", params={"id": s.D1}).json()["recalled"] is True


def test_held_lot_puts_its_serials_on_hold(api):
    assert api.get("/v1/verify", params={"id": s.D1}).json()["on_hold"] is False
    held = api.post("/v1/holds", json={"kind": "lot", "target": s.FG1, "reason": "suspect sterilisation"})
    assert held.status_code == 201
    assert api.get("/v1/verify", params={"id": s.D1}).json()["on_hold"] is True


def test_a_digital_link_of_a_just_loaded_prefix_resolves_despite_the_prefix_cache(database):
    """Company prefixes are cached for Digital Link lookups; loading a document with a
    new prefix must not leave verification blind to it."""
    from core.identifiers import to_digital_link
    from graph import schema
    from loaders.epcis.document import parse_document
    from tests import epcis as b
    from tracegraph.capture.writer import write_document
    from tracegraph.identity import canonical_epc, company_prefixes
    schema.reset(database)
    item = b.sgtin("DL1")
    assert b.CP not in company_prefixes(database)  # cached now, without the prefix
    write_document(database, parse_document(b.document([b.observe([item], 10, site=1)]), "dl"))
    assert canonical_epc(database, to_digital_link(item)) == item


def _operators(plan: dict) -> set[str]:
    return {plan["operatorType"].split("@")[0]} | {op for child in plan.get("children", []) for op in _operators(child)}


def test_verification_finds_each_item_by_its_unique_index(db):
    from graph.queries import query
    with db.driver.session(database=db.name) as session:
        plan = session.run("EXPLAIN " + query("verify/serials"),
                           asks=[{"n": 0, "epc": s.D1, "party": None}]).consume().plan
    assert "NodeUniqueIndexSeek" in _operators(plan)
