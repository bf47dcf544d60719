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
from graph import schema
from tests import partners as p
from tests import scenario as s
from tests.conftest import issue_key
from tests.test_auth import routes

COLUMNS = ["admin", "recall_manager", "investigator", "quality", "integrator", "auditor", "partner-own",
           "partner-foreign"]
OWN, FOREIGN = s.D1, s.D3  # the partner (Dist Co) received D1 and never saw D3
PUBLIC = {("GET", "/openapi.json"), ("GET", "/docs"), ("GET", "/docs/oauth2-redirect"), ("GET", "/redoc"),
          ("GET", "/healthz"), ("GET", "/readyz")}


def q(value: str) -> str:
    return quote(value, safe="")


# (method, route path): (request: url with {id} for the object, json body or None), expected per column
MATRIX: dict[tuple[str, str], tuple[str, dict | None, str]] = {
    ("GET", "/openapi.json"): ("/openapi.json", None, "200 200 200 200 200 200 200 200"),
    ("GET", "/docs"): ("/docs", None, "200 200 200 200 200 200 200 200"),
    ("GET", "/docs/oauth2-redirect"): ("/docs/oauth2-redirect", None, "200 200 200 200 200 200 200 200"),
    ("GET", "/redoc"): ("/redoc", None, "200 200 200 200 200 200 200 200"),
    ("GET", "/healthz"): ("/healthz", None, "200 200 200 200 200 200 200 200"),
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
    ("POST", "/epcis/capture"): ("/epcis/capture", {}, "400 403 403 403 400 403 403 403"),
    ("GET", "/v1/jobs"): ("/v1/jobs", None, "200 200 200 200 403 200 403 403"),
    ("GET", "/v1/jobs/{id}"): ("/v1/jobs/no-such-job", None, "404 404 404 404 403 404 403 403"),
    ("GET", "/metrics"): ("/metrics", None, "200 200 200 200 403 200 403 403"),
    ("GET", "/epcis/capture/{capture_id}"): ("/epcis/capture/no-such-capture", None,
                                             "404 403 403 403 404 403 403 403"),
    ("GET", "/epcis/events"): ("/epcis/events", None, "200 200 200 200 200 200 403 403"),
    ("GET", "/epcis/events/{event_id:path}"): ("/epcis/events/urn:uuid:no-such-event", None,
                                               "404 404 404 404 404 404 403 403"),
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


def call(app_client, method: str, url: str, body, headers: dict):
    return app_client.request(method, url, json=body, headers=headers)


CELLS = [(key, column) for key in MATRIX for column in COLUMNS]


@pytest.mark.parametrize("key,column", CELLS, ids=[f"{m} {path} {c}" for (m, path), c in CELLS])
def test_cell(callers, key, column):
    app_client, headers = callers
    url, body, expected = MATRIX[key]
    target = FOREIGN if column == "partner-foreign" else OWN
    response = call(app_client, key[0], url.replace("{id}", q(target)), body, headers[column])
    assert response.status_code == int(expected.split()[COLUMNS.index(column)])


@pytest.mark.parametrize("key", [k for k in MATRIX if k not in PUBLIC], ids=lambda k: f"{k[0]} {k[1]}")
@pytest.mark.parametrize("credentials", [None, "Bearer tgk_000000000000_wrong"], ids=["none", "bad"])
def test_no_or_bad_credentials_is_401(callers, key, credentials):
    app_client, _ = callers
    url, body, _ = MATRIX[key]
    response = call(app_client, key[0], url.replace("{id}", q(OWN)), body,
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
