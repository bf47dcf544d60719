"""Every route × every role × own/foreign object: the expected status of each cell is
data below. A route without a row fails `test_every_route_has_a_row`, so new routes
must be added here (and their permission to tracegraph/security/roles.py).

Columns: admin, recall_manager, investigator, quality, integrator, auditor, then a
partner asking about its own serial (one its party handled) and about a foreign one.
Requests that write send a body the route refuses (422) or name nothing (404), so an
allowed caller is told about the body and a refused one gets 403 before it is read.
"""
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from core.identifiers import to_digital_link
from graph import schema
from tests import partners as p
from tests import scenario as s
from tests.conftest import issue_key
from tests.test_auth import routes
from tracegraph.campaigns import service as campaigns
from tracegraph.campaigns.models import CampaignRequest

COLUMNS = ["admin", "recall_manager", "investigator", "quality", "integrator", "auditor", "partner-own",
           "partner-foreign"]
OWN, FOREIGN = s.D1, s.D3  # the partner (Dist Co) received D1 and never saw D3
PUBLIC = {("GET", "/openapi.json"), ("GET", "/docs"), ("GET", "/docs/oauth2-redirect"), ("GET", "/redoc"),
          ("GET", "/healthz"), ("GET", "/readyz")}
PUBLIC |= {("GET", "/"), ("GET", "/console/{rest:path}"), ("POST", "/v1/session"), ("DELETE", "/v1/session")}


def q(value: str) -> str:
    return quote(value, safe="")


# (method, route path): (request: url with {id} for the object, json body or None), expected per column
MATRIX: dict[tuple[str, str], tuple[str, dict | None, str]] = {
    ("GET", "/openapi.json"): ("/openapi.json", None, "200 200 200 200 200 200 200 200"),
    ("GET", "/docs"): ("/docs", None, "200 200 200 200 200 200 200 200"),
    ("GET", "/docs/oauth2-redirect"): ("/docs/oauth2-redirect", None, "200 200 200 200 200 200 200 200"),
    ("GET", "/redoc"): ("/redoc", None, "200 200 200 200 200 200 200 200"),
    ("GET", "/healthz"): ("/healthz", None, "200 200 200 200 200 200 200 200"),
    ("GET", "/"): ("/", None, "200 200 200 200 200 200 200 200"),
    ("GET", "/console/{rest:path}"): ("/console/serial/{id}", None, "200 200 200 200 200 200 200 200"),
    ("POST", "/v1/session"): ("/v1/session", {}, "422 422 422 422 422 422 422 422"),
    ("GET", "/v1/session"): ("/v1/session", None, "200 200 200 200 200 200 200 200"),
    ("DELETE", "/v1/session"): ("/v1/session", None, "204 204 204 204 204 204 204 204"),
    ("GET", "/readyz"): ("/readyz", None, "200 200 200 200 200 200 200 200"),
    ("GET", "/v1/trace/forward"): ("/v1/trace/forward?id={id}", None, "200 200 200 200 403 200 403 403"),
    ("GET", "/v1/trace/backward"): ("/v1/trace/backward?id={id}", None, "200 200 200 200 403 200 403 403"),
    ("GET", "/v1/serials/{id:path}/timeline"): ("/v1/serials/{id}/timeline", None,
                                                "200 200 200 200 403 200 403 403"),
    ("GET", "/v1/serials/{id:path}"): ("/v1/serials/{id}", None, "200 200 200 200 403 200 403 403"),
    ("POST", "/v1/recall-scope"): ("/v1/recall-scope", {"starts": []}, "422 422 422 422 403 422 403 403"),
    ("POST", "/v1/recall-scope/export"): ("/v1/recall-scope/export", {"starts": []},
                                          "422 422 422 422 403 422 403 403"),
    ("GET", "/v1/recall-scope/{id}"): ("/v1/recall-scope/no-such-scope", None, "404 404 404 404 403 404 403 403"),
    ("POST", "/v1/recalls"): ("/v1/recalls", {}, "422 422 403 403 403 403 403 403"),
    ("GET", "/v1/recalls"): ("/v1/recalls", None, "200 200 200 200 403 200 403 403"),
    ("GET", "/v1/recalls/{id}"): ("/v1/recalls/no-such-campaign", None, "404 404 404 404 403 404 403 403"),
    # a list: partners get 200 with only their own notices (test_partner_lists_only_its_own_notices below)
    ("GET", "/v1/recalls/notices"): ("/v1/recalls/notices", None, "200 200 200 200 403 200 200 200"),
    ("GET", "/v1/recalls/{id}/notices"): ("/v1/recalls/no-such-campaign/notices", None,
                                          "404 404 404 404 403 404 404 404"),
    ("GET", "/v1/recalls/{id}/notices/{site:path}"): (f"/v1/recalls/no-such-campaign/notices/{q(s.SITE[3])}", None,
                                                      "404 404 404 404 403 404 404 404"),
    ("POST", "/v1/recalls/{id}/notify"): ("/v1/recalls/no-such-campaign/notify", None,
                                          "404 404 403 403 403 403 403 403"),
    ("GET", "/v1/recalls/{id}/deliveries"): ("/v1/recalls/no-such-campaign/deliveries", None,
                                             "404 404 404 404 403 404 403 403"),
    ("POST", "/v1/recalls/{id}/acknowledgements"): ("/v1/recalls/no-such-campaign/acknowledgements", {},
                                                     "422 422 403 403 403 403 422 422"),
    ("POST", "/v1/recalls/{id}/returns"): ("/v1/recalls/no-such-campaign/returns", {},
                                           "422 422 403 403 403 403 422 422"),
    ("GET", "/v1/recalls/{id}/status"): ("/v1/recalls/no-such-campaign/status", None,
                                         "404 404 404 404 403 404 403 403"),
    ("GET", "/v1/recalls/{id}/rescope"): ("/v1/recalls/no-such-campaign/rescope", None,
                                          "404 404 404 404 403 404 403 403"),
    ("POST", "/v1/recalls/{id}/rescope"): ("/v1/recalls/no-such-campaign/rescope", {},
                                           "422 422 403 403 403 403 403 403"),
    ("POST", "/v1/recalls/{id}/effectiveness-checks"): ("/v1/recalls/no-such-campaign/effectiveness-checks", {},
                                                         "422 422 403 403 403 403 403 403"),
    ("GET", "/v1/recalls/{id}/effectiveness-checks"): ("/v1/recalls/no-such-campaign/effectiveness-checks", None,
                                                        "404 404 404 404 403 404 403 403"),
    ("POST", "/v1/recalls/{id}/effectiveness-checks/{check_id}/results"): (
        "/v1/recalls/no-such-campaign/effectiveness-checks/no-such-check/results", {},
        "422 422 403 403 403 403 403 403"),
    ("GET", "/v1/recalls/{id}/reports/{kind}"): ("/v1/recalls/no-such-campaign/reports/status", None,
                                                 "404 404 404 404 403 404 403 403"),
    ("POST", "/v1/recalls/{id}/close"): ("/v1/recalls/no-such-campaign/close", {}, "404 404 403 403 403 403 403 403"),
    ("GET", "/v1/genealogy/{id:path}/graph"): ("/v1/genealogy/{id}/graph", None, "200 200 200 200 403 200 403 403"),
    ("GET", "/v1/genealogy/{id:path}"): ("/v1/genealogy/{id}", None, "200 200 200 200 403 200 403 403"),
    ("GET", "/v1/verify"): ("/v1/verify?id={id}", None, "200 200 200 200 200 200 200 404"),
    ("GET", "/v1/audit"): ("/v1/audit", None, "200 403 403 403 403 200 403 403"),
    ("GET", "/v1/audit/verify"): ("/v1/audit/verify", None, "200 403 403 403 403 200 403 403"),
    ("GET", "/v1/audit/export"): ("/v1/audit/export", None, "200 403 403 403 403 200 403 403"),
    ("GET", "/v1/users"): ("/v1/users", None, "200 403 403 403 403 200 403 403"),
    ("POST", "/v1/users"): ("/v1/users", {}, "422 403 403 403 403 403 403 403"),
    ("GET", "/v1/users/{name}"): ("/v1/users/matrix-admin", None, "200 403 403 403 403 200 403 403"),
    ("PATCH", "/v1/users/{name}"): ("/v1/users/nobody", {}, "404 403 403 403 403 403 403 403"),
    ("GET", "/v1/users/{name}/keys"): ("/v1/users/matrix-admin/keys", None, "200 403 403 403 403 200 403 403"),
    ("POST", "/v1/users/{name}/keys"): ("/v1/users/nobody/keys", {}, "404 403 403 403 403 403 403 403"),
    ("DELETE", "/v1/users/{name}/keys/{key_id}"): ("/v1/users/nobody/keys/000000000000", None,
                                                   "404 403 403 403 403 403 403 403"),
    ("GET", "/v1/identifiers/parse"): ("/v1/identifiers/parse?value={id}", None, "200 200 200 200 200 200 200 200"),
    ("GET", "/v1/master/products"): ("/v1/master/products", None, "200 200 200 200 200 200 403 403"),
    ("PUT", "/v1/master/products"): ("/v1/master/products", {}, "422 403 403 403 422 403 403 403"),
    ("GET", "/v1/master/products/{gtin}/history"): ("/v1/master/products/00614141812345/history", None,
                                                    "404 404 404 404 404 404 403 403"),
    ("GET", "/v1/master/parties"): ("/v1/master/parties", None, "200 200 200 200 200 200 403 403"),
    ("PUT", "/v1/master/parties"): ("/v1/master/parties", {}, "422 403 403 403 422 403 403 403"),
    ("GET", "/v1/master/parties/{pgln:path}/history"): (f"/v1/master/parties/{q(p.DIST)}/history", None,
                                                        "200 200 200 200 200 200 403 403"),
    ("GET", "/v1/master/sites"): ("/v1/master/sites", None, "200 200 200 200 200 200 403 403"),
    ("PUT", "/v1/master/sites"): ("/v1/master/sites", {}, "422 403 403 403 422 403 403 403"),
    ("GET", "/v1/master/sites/{sgln:path}/history"): (f"/v1/master/sites/{q(s.SITE[3])}/history", None,
                                                      "200 200 200 200 200 200 403 403"),
    ("GET", "/v1/master/relationships"): ("/v1/master/relationships", None, "200 200 200 200 200 200 403 403"),
    ("PUT", "/v1/master/relationships"): ("/v1/master/relationships", {}, "422 403 403 403 422 403 403 403"),
    ("GET", "/v1/quality/policy"): ("/v1/quality/policy", None, "200 200 200 200 403 200 403 403"),
    ("GET", "/v1/quality/policy/products/{gtin}"): ("/v1/quality/policy/products/00614141812345", None,
                                                    "200 200 200 200 403 200 403 403"),
    ("GET", "/v1/quality/findings"): ("/v1/quality/findings", None, "200 200 200 200 403 200 403 403"),
    ("GET", "/v1/rules"): ("/v1/rules", None, "200 200 200 200 403 200 403 403"),
    ("PUT", "/v1/rules"): ("/v1/rules", {"unknown": 1}, "422 403 403 422 403 403 403 403"),
    ("POST", "/v1/rules/run"): ("/v1/rules/run?dry_run=true", None, "200 403 403 200 403 403 403 403"),
    ("GET", "/v1/alerts"): ("/v1/alerts", None, "200 200 200 200 403 200 403 403"),
    ("GET", "/v1/alerts/deliveries"): ("/v1/alerts/deliveries", None, "200 200 200 200 403 200 403 403"),
    ("GET", "/v1/alerts/{id}"): ("/v1/alerts/no-such-alert", None, "404 404 404 404 403 404 403 403"),
    ("POST", "/v1/alerts/{id}/transitions"): ("/v1/alerts/no-such-alert/transitions", {},
                                              "422 422 403 422 403 403 403 403"),
    ("POST", "/v1/holds"): ("/v1/holds", {}, "422 422 403 422 403 403 403 403"),
    ("GET", "/v1/holds"): ("/v1/holds", None, "200 200 200 200 403 200 403 403"),
    ("GET", "/v1/holds/{id}"): ("/v1/holds/no-such-hold", None, "404 404 404 404 403 404 403 403"),
    ("POST", "/v1/holds/{id}/release"): ("/v1/holds/no-such-hold/release", {}, "422 422 403 422 403 403 403 403"),
    ("POST", "/v1/imports/csv"): ("/v1/imports/csv", None, "422 403 403 403 422 403 403 403"),
    ("POST", "/v1/investigations"): ("/v1/investigations", {}, "422 422 422 422 403 403 403 403"),
    ("GET", "/v1/investigations"): ("/v1/investigations", None, "200 200 200 200 403 200 403 403"),
    ("GET", "/v1/investigations/root-cause-categories"): ("/v1/investigations/root-cause-categories", None,
                                                          "200 200 200 200 403 200 403 403"),
    ("GET", "/v1/investigations/{id}"): ("/v1/investigations/no-such-investigation", None,
                                         "404 404 404 404 403 404 403 403"),
    ("PATCH", "/v1/investigations/{id}"): ("/v1/investigations/no-such-investigation", {},
                                           "422 422 422 422 403 403 403 403"),
    ("POST", "/v1/investigations/{id}/transitions"): ("/v1/investigations/no-such-investigation/transitions", {},
                                                       "422 422 422 422 403 403 403 403"),
    ("POST", "/v1/investigations/{id}/findings"): ("/v1/investigations/no-such-investigation/findings", {},
                                                    "422 422 422 422 403 403 403 403"),
    ("PUT", "/v1/investigations/{id}/root-cause"): ("/v1/investigations/no-such-investigation/root-cause", {},
                                                     "422 422 422 422 403 403 403 403"),
    ("POST", "/v1/investigations/{id}/evidence"): ("/v1/investigations/no-such-investigation/evidence", None,
                                                    "422 422 422 422 403 403 403 403"),
    ("POST", "/v1/investigations/{id}/links"): ("/v1/investigations/no-such-investigation/links", {},
                                                "422 422 422 422 403 403 403 403"),
    ("POST", "/v1/investigations/{id}/trace-snapshots"): (
        "/v1/investigations/no-such-investigation/trace-snapshots", {},
        "422 422 422 422 403 403 403 403"),
    ("GET", "/v1/investigations/{id}/evidence/{evidence_id}/content"): (
        "/v1/investigations/no-such-investigation/evidence/no-such-evidence/content", None,
        "404 404 404 404 403 404 403 403"),
    ("GET", "/v1/investigations/{id}/timeline"): ("/v1/investigations/no-such-investigation/timeline", None,
                                                   "404 404 404 404 403 404 403 403"),
    ("POST", "/v1/capas"): ("/v1/capas", {}, "422 403 422 422 403 403 403 403"),
    ("GET", "/v1/capas"): ("/v1/capas?overdue=true", None, "200 200 200 200 403 200 403 403"),
    ("GET", "/v1/capas/{id}"): ("/v1/capas/no-such-capa", None, "404 404 404 404 403 404 403 403"),
    ("POST", "/v1/capas/{id}/actions"): ("/v1/capas/no-such-capa/actions", {}, "422 403 422 422 403 403 403 403"),
    ("PATCH", "/v1/capas/{id}/actions/{action_id}"): ("/v1/capas/no-such-capa/actions/no-such-action", {},
                                                        "422 403 422 422 403 403 403 403"),
    ("POST", "/v1/capas/{id}/verifications"): ("/v1/capas/no-such-capa/verifications", {},
                                               "422 403 422 422 403 403 403 403"),
    ("POST", "/v1/capas/{id}/transitions"): ("/v1/capas/no-such-capa/transitions", {},
                                             "422 403 422 422 403 403 403 403"),
    ("POST", "/epcis/capture"): ("/epcis/capture", {}, "400 403 403 403 400 403 403 403"),
    ("GET", "/v1/jobs"): ("/v1/jobs", None, "200 200 200 200 403 200 403 403"),
    ("GET", "/v1/jobs/{id}"): ("/v1/jobs/no-such-job", None, "404 404 404 404 403 404 403 403"),
    ("GET", "/metrics"): ("/metrics", None, "200 200 200 200 403 200 403 403"),
    ("GET", "/epcis/capture/{capture_id}"): ("/epcis/capture/no-such-capture", None,
                                             "404 403 403 403 404 403 403 403"),
    ("GET", "/epcis/events"): ("/epcis/events", None, "200 200 200 200 200 200 403 403"),
    ("GET", "/epcis/events/{event_id:path}"): ("/epcis/events/urn:uuid:no-such-event", None,
                                               "404 404 404 404 404 404 403 403"),
    ("POST", "/epcis/queries"): ("/epcis/queries", {}, "422 403 403 403 422 403 422 422"),
    ("GET", "/epcis/queries"): ("/epcis/queries", None, "200 200 200 200 200 200 200 200"),
    ("GET", "/epcis/queries/{name}"): ("/epcis/queries/no-such-query", None, "404 404 404 404 404 404 404 404"),
    ("DELETE", "/epcis/queries/{name}"): ("/epcis/queries/no-such-query", None, "404 403 403 403 404 403 404 404"),
    ("GET", "/epcis/queries/{name}/events"): ("/epcis/queries/no-such-query/events", None,
                                              "404 404 404 404 404 404 404 404"),
    ("POST", "/epcis/queries/{name}/subscriptions"): ("/epcis/queries/no-such-query/subscriptions", {},
                                                      "422 403 403 403 422 403 422 422"),
    ("GET", "/epcis/queries/{name}/subscriptions"): ("/epcis/queries/no-such-query/subscriptions", None,
                                                     "404 404 404 404 404 404 404 404"),
    ("DELETE", "/epcis/queries/{name}/subscriptions/{subscription_id}"): (
        "/epcis/queries/no-such-query/subscriptions/no-such-subscription", None, "404 403 403 403 404 403 404 404"),
    ("GET", "/epcis/eventTypes"): ("/epcis/eventTypes", None, "200 200 200 200 200 200 200 200"),
    ("GET", "/epcis/eventTypes/{value:path}/events"): ("/epcis/eventTypes/ObjectEvent/events", None,
                                                       "200 200 200 200 200 200 200 200"),
    ("GET", "/epcis/epcs"): ("/epcis/epcs", None, "200 200 200 200 200 200 200 200"),
    # a partner asking about a foreign serial gets the empty answer an unknown one gets
    ("GET", "/epcis/epcs/{value:path}/events"): ("/epcis/epcs/{id}/events", None, "200 200 200 200 200 200 200 200"),
    ("GET", "/epcis/bizSteps"): ("/epcis/bizSteps", None, "200 200 200 200 200 200 200 200"),
    ("GET", "/epcis/bizSteps/{value:path}/events"): ("/epcis/bizSteps/shipping/events", None,
                                                     "200 200 200 200 200 200 200 200"),
    ("GET", "/epcis/bizLocations"): ("/epcis/bizLocations", None, "200 200 200 200 200 200 200 200"),
    ("GET", "/epcis/bizLocations/{value:path}/events"): (f"/epcis/bizLocations/{q(s.SITE[3])}/events", None,
                                                         "200 200 200 200 200 200 200 200"),
    ("GET", "/epcis/readPoints"): ("/epcis/readPoints", None, "200 200 200 200 200 200 200 200"),
    ("GET", "/epcis/readPoints/{value:path}/events"): (f"/epcis/readPoints/{q(s.SITE[3])}/events", None,
                                                       "200 200 200 200 200 200 200 200"),
    ("GET", "/epcis/dispositions"): ("/epcis/dispositions", None, "200 200 200 200 200 200 200 200"),
    ("GET", "/epcis/dispositions/{value:path}/events"): ("/epcis/dispositions/in_transit/events", None,
                                                         "200 200 200 200 200 200 200 200"),
    ("OPTIONS", "/epcis/capture"): ("/epcis/capture", None, "204 403 403 403 204 403 403 403"),
    ("GET", "/epcis/capture"): ("/epcis/capture", None, "200 403 403 403 200 403 403 403"),
    ("GET", "/01/{gtin}/{rest:path}"): ("{dl}", None, "200 200 200 200 200 200 200 404"),
    ("GET", "/gtin/{gtin}/{rest:path}"): ("/gtin/80614141123458/ser/D1", None, "200 200 200 200 200 200 200 200"),
    ("GET", "/00/{sscc}"): ("/00/006141410000000029", None, "200 200 200 200 200 200 200 200"),
    ("GET", "/sscc/{sscc}"): ("/sscc/006141410000000029", None, "200 200 200 200 200 200 200 200"),
}


@pytest.fixture(scope="module")
def callers(database):
    schema.reset(database)
    p.load(database)
    settings = database.settings.model_copy(update={"partner_rate_burst": 10_000})
    with TestClient(create_app(settings)) as app_client:
        headers = {}
        for role in COLUMNS[:6]:
            name = "matrix-admin" if role == "admin" else f"matrix-{role.replace('_', '-')}"
            headers[role] = {"Authorization": f"Bearer {issue_key(database, name, [role])}"}
        partner = {"Authorization": f"Bearer {issue_key(database, 'matrix-partner', ['partner'], p.DIST)}"}
        headers["partner-own"] = headers["partner-foreign"] = partner
        yield app_client, headers


def url_for(url: str, target: str) -> str:
    """{id}: the target EPC, quoted; {dl}: the path of its GS1 Digital Link (the resolver's routes)."""
    return url.replace("{id}", q(target)).replace("{dl}", to_digital_link(target).removeprefix("https://id.gs1.org"))


def call(app_client, method: str, url: str, body, headers: dict):
    return app_client.request(method, url, json=body, headers=headers)


CELLS = [(key, column) for key in MATRIX for column in COLUMNS]


@pytest.mark.parametrize("key,column", CELLS, ids=[f"{m} {path} {c}" for (m, path), c in CELLS])
def test_cell(callers, key, column):
    app_client, headers = callers
    url, body, expected = MATRIX[key]
    target = FOREIGN if column == "partner-foreign" else OWN
    response = call(app_client, key[0], url_for(url, target), body, headers[column])
    assert response.status_code == int(expected.split()[COLUMNS.index(column)])


@pytest.mark.parametrize("key", [k for k in MATRIX if k not in PUBLIC], ids=lambda k: f"{k[0]} {k[1]}")
@pytest.mark.parametrize("credentials", [None, "Bearer tgk_000000000000_wrong"], ids=["none", "bad"])
def test_no_or_bad_credentials_is_401(callers, key, credentials):
    app_client, _ = callers
    url, body, _ = MATRIX[key]
    response = call(app_client, key[0], url_for(url, OWN), body,
                    {"Authorization": credentials} if credentials else {})
    assert (response.status_code, response.json()["detail"]) == (401, "missing or invalid credentials")


def test_every_route_has_a_row(callers):
    app_client, _ = callers
    assert {(m, path) for m, path, _ in routes(app_client.app)} ^ set(MATRIX) == set()


def test_partner_never_gets_internal_fields(callers):
    app_client, headers = callers
    body = app_client.get(f"/v1/verify?id={q(OWN)}", headers=headers["partner-own"]).json()
    leaked = {"sites", "site", "events", "container", "inputs", "suppliers", "customers", "commissioned"} & set(body)
    assert leaked == set()


def test_partner_lists_only_its_own_notices(callers, database):
    """The notices list is 200 for partners: the matrix row cannot show whose notices are in it."""
    camp = campaigns.create(database, CampaignRequest(starts=[{"kind": "lot", "id": s.FG1}], classification="II",
                                                      type="removal", depth="user", reason="matrix"), actor="matrix")
    campaigns.notify(database, camp.id, actor="matrix")
    app_client, headers = callers
    every = app_client.get(f"/v1/recalls/notices?campaign={camp.id}", headers=headers["admin"]).json()["notices"]
    mine = app_client.get(f"/v1/recalls/notices?campaign={camp.id}", headers=headers["partner-own"]).json()["notices"]
    assert ({n["party"] for n in every} >= {p.DIST, p.HOSP}, [n["party"] for n in mine]) == (True, [p.DIST])
