"""Console log-in (issue 15): session cookies next to header auth, CSRF on cookie writes,
and the console and API docs served from the package (no CDN)."""
import base64
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from tests.conftest import issue_key
from tracegraph.security import roles, service
from tracegraph.security.models import NewUser

PASSWORD = "correct horse battery"


@pytest.fixture
def app_client(db, tmp_path):
    settings = db.settings.model_copy(update={"session_key_path": tmp_path / "session.key"})
    # https: the session cookie is Secure, so the client only sends it over TLS
    with TestClient(create_app(settings), base_url="https://testserver") as c:
        service.create_user(db, NewUser(name="qa", roles=["quality"], password=PASSWORD), actor="test")
        yield c


def login(c, **body):
    return c.post("/v1/session", json=body or {"user": "qa", "password": PASSWORD})


def test_password_login_sets_a_secure_httponly_strict_session_cookie(app_client):
    cookies = login(app_client).headers.get_list("set-cookie")
    session = next(c for c in cookies if c.startswith("tg_session="))
    assert {"HttpOnly", "Secure", "SameSite=strict"} <= {p.strip() for p in session.split(";")}


def test_csrf_cookie_is_readable_by_the_page_and_matches_the_login_answer(app_client):
    answer = login(app_client)
    csrf = next(c for c in answer.headers.get_list("set-cookie") if c.startswith("tg_csrf="))
    assert ("HttpOnly" not in csrf, csrf.split(";")[0].split("=", 1)[1]) == (True, answer.json()["csrf_token"])


def test_the_cookie_alone_authenticates_reads(app_client):
    login(app_client)
    me = app_client.get("/v1/session").json()
    assert (me["user"], me["roles"], "holds:write" in me["permissions"]) == ("qa", ["quality"], True)


def test_a_cookie_write_without_the_csrf_header_is_refused(app_client):
    login(app_client)
    response = app_client.post("/v1/holds", json={})
    assert (response.status_code, response.json()["field"]) == (403, "x-csrf-token")


def test_a_cookie_write_with_the_csrf_header_goes_through_to_validation(app_client):
    token = login(app_client).json()["csrf_token"]
    assert app_client.post("/v1/holds", json={}, headers={"X-CSRF-Token": token}).status_code == 422


def test_a_cookie_naming_someone_else_under_the_old_signature_is_401(app_client, db):
    issue_key(db, "boss", ["admin"])
    login(app_client)
    payload, sig = app_client.cookies["tg_session"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    forged = base64.urlsafe_b64encode(json.dumps(dict(claims, s="boss")).encode()).decode().rstrip("=")
    app_client.cookies.clear()
    assert app_client.get("/v1/session", headers={"Cookie": f"tg_session={forged}.{sig}"}).status_code == 401


def test_wrong_password_is_the_same_vague_401(app_client):
    response = login(app_client, user="qa", password="wrong password!")
    assert (response.status_code, response.json()["detail"]) == (401, "missing or invalid credentials")


def test_unknown_user_is_the_same_vague_401(app_client):
    assert login(app_client, user="nobody", password=PASSWORD).json()["detail"] == "missing or invalid credentials"


def test_login_needs_one_way_in(app_client):
    assert login(app_client, user="qa").status_code == 422


def test_disabling_the_user_ends_their_session_at_once(app_client, db):
    login(app_client)
    service.update_user(db, "qa", "test", disabled=True)
    assert app_client.get("/v1/session").status_code == 401


def test_api_key_login_acts_as_the_key_owner(app_client, db):
    key = issue_key(db, "partner-x", ["partner"], "urn:epc:id:pgln:0614141.00003")
    me = login(app_client, api_key=key).json()
    assert (me["user"], me["party"], sorted(me["permissions"])) == (
        "partner-x", "urn:epc:id:pgln:0614141.00003", sorted(roles.ROLE_PERMISSIONS[roles.Role.partner]))


def test_revoking_the_key_ends_its_session(app_client, db):
    key = issue_key(db, "integr", ["integrator"])
    login(app_client, api_key=key)
    service.revoke_key(db, key.split("_")[1], "test")
    assert app_client.get("/v1/session").status_code == 401


def test_logout_clears_the_cookie(app_client):
    login(app_client)
    app_client.delete("/v1/session")
    assert app_client.get("/v1/session").status_code == 401


def test_header_auth_wins_over_a_cookie(app_client, db):
    login(app_client)
    key = issue_key(db, "aud", ["auditor"])
    assert app_client.get("/v1/session", headers={"Authorization": f"Bearer {key}"}).json()["user"] == "aud"


def test_login_is_audited(app_client, db):
    login(app_client)
    rows = app_client.get("/v1/audit", params={"action": "session.login"},
                          headers={"Authorization": f"Bearer {issue_key(db, 'boss', ['admin'])}"}).json()
    assert [(r["actor"], r["subject"]) for r in rows] == [("qa", "user:qa")]


@pytest.mark.parametrize("path", ["/", "/console/serial/urn:epc:id:sgtin:0614141.812345.D1"])
def test_console_pages_serve_the_app_with_a_strict_csp(app_client, path):
    response = app_client.get(path)
    assert ("/static/app.js" in response.text, "script-src 'self'" in response.headers["content-security-policy"]) \
        == (True, True)


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/"])
def test_pages_load_nothing_from_another_host(app_client, path):
    html = app_client.get(path).text
    assert re.findall(r'(?:src|href)="(https?://[^"]+)"', html) == []


@pytest.mark.parametrize("asset", ["vendor/swagger-ui-bundle.js", "vendor/swagger-ui.css",
                                   "vendor/redoc.standalone.js", "vendor/cytoscape.esm.min.js",
                                   "vendor/chart.umd.min.js", "app.js", "pages/serial.js"])
def test_assets_are_served_locally_with_a_script_or_style_type(app_client, asset):
    response = app_client.get(f"/static/{asset}")
    assert (response.status_code, response.headers["content-type"].split(";")[0]) in \
        {(200, "text/javascript"), (200, "application/javascript"), (200, "text/css")}


def test_an_unwritable_session_key_path_still_lets_users_log_in(db):
    settings = db.settings.model_copy(update={"session_key_path": Path("/proc/no-such-dir/session.key")})
    with TestClient(create_app(settings), base_url="https://testserver") as c:
        service.create_user(db, NewUser(name="qa", roles=["quality"], password=PASSWORD), actor="test")
        login(c)
        assert c.get("/v1/session").json()["user"] == "qa"
