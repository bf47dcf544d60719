"""Authentication (API keys, JWTs), roles, and the request guards in front of every route."""
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from api.main import create_app
from tracegraph.security import roles, service
from tracegraph.security.enums import Role

PROBLEM = "application/problem+json"
SECRET = "jwt-test-secret-0123456789abcdef0123456789"


def test_no_credentials_is_401_problem_with_challenge(client_as):
    response = client_as(None).get("/v1/audit")
    assert (response.status_code, response.headers["content-type"], response.headers["www-authenticate"]) == \
        (401, PROBLEM, 'Bearer realm="tracegraph"')


@pytest.mark.parametrize("header", [
    {"Authorization": "Bearer tgk_000000000000_nope"},
    {"Authorization": "Bearer tgk_garbage"},
    {"Authorization": "Basic dXNlcjpwYXNz"},
    {"Authorization": "Bearer "},
    {"X-API-Key": "tgk_" + "a" * 500},
    {"Authorization": "Bearer not.a.jwt"},
])
def test_bad_credentials_all_get_the_same_401_and_no_detail(client_as, header):
    response = client_as(None).get("/v1/audit", headers=header)
    assert (response.status_code, response.json()["detail"]) == (401, "missing or invalid credentials")


def test_x_api_key_header_works(client, client_as):
    key = client.headers["Authorization"].split()[1]
    assert client_as(None).get("/v1/audit", headers={"X-API-Key": key}).status_code == 200


def test_key_secret_is_not_stored(client):
    key = client.headers["Authorization"].split()[1]
    key_id, secret = key[4:].split("_", 1)
    stored = client.app.state.db.read("security/key_lookup", id=key_id)[0]["key"]
    assert secret not in str(stored) and stored["hash"] != secret


def test_key_list_never_shows_secrets(client):
    body = client.get("/v1/users/test-admin/keys").json()
    assert body and all(set(k) == {"id", "user", "label", "created", "expires", "revoked"} for k in body)


def test_revoked_key_is_refused(client):
    created = client.post("/v1/users", json={"name": "ann", "roles": ["auditor"]})
    issued = client.post("/v1/users/ann/keys", json={"label": "laptop"}).json()
    headers = {"Authorization": f"Bearer {issued['key']}"}
    before = client.get("/v1/audit", headers=headers).status_code
    assert client.delete(f"/v1/users/ann/keys/{issued['id']}").status_code == 204
    assert (created.status_code, before, client.get("/v1/audit", headers=headers).status_code) == (201, 200, 401)


def test_expired_key_is_refused(client, monkeypatch):
    client.post("/v1/users", json={"name": "bob", "roles": ["auditor"]})
    issued = client.post("/v1/users/bob/keys", json={"expires_in_days": 1}).json()
    headers = {"Authorization": f"Bearer {issued['key']}"}
    assert client.get("/v1/audit", headers=headers).status_code == 200
    monkeypatch.setattr(service, "_now", lambda: datetime.now(UTC) + timedelta(days=2))
    assert client.get("/v1/audit", headers=headers).status_code == 401


def test_disabled_user_is_refused(client):
    client.post("/v1/users", json={"name": "cy", "roles": ["auditor"]})
    key = client.post("/v1/users/cy/keys", json={}).json()["key"]
    client.patch("/v1/users/cy", json={"disabled": True})
    assert client.get("/v1/audit", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_role_without_the_permission_is_403(client_as):
    response = client_as("integrator").get("/v1/audit")
    assert (response.status_code, response.json()["type"]) == (403, "https://tracegraph.dev/problems/forbidden")


def test_partner_user_must_name_its_party(client):
    response = client.post("/v1/users", json={"name": "p1", "roles": ["partner"]})
    assert (response.status_code, response.json()["field"]) == (422, "party")


def test_partner_cannot_hold_internal_roles(client):
    response = client.post("/v1/users", json={"name": "p2", "roles": ["partner", "admin"],
                                             "party": "urn:epc:id:pgln:0614141.00003"})
    assert response.status_code == 422


def test_duplicate_user_is_409(client):
    client.post("/v1/users", json={"name": "dup", "roles": ["auditor"]})
    assert client.post("/v1/users", json={"name": "dup", "roles": ["auditor"]}).status_code == 409


def test_non_admin_cannot_create_users(client_as):
    response = client_as("recall_manager").post("/v1/users", json={"name": "x", "roles": ["admin"]})
    assert response.status_code == 403


# --- JWT bearer tokens ------------------------------------------------------------------

@pytest.fixture
def jwt_client(db):
    settings = db.settings.model_copy(update={"jwt_key": SECRET, "jwt_algorithms": ["HS256"],
                                              "jwt_issuer": "https://idp.example", "jwt_audience": "tracegraph"})
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def token(**claims) -> str:
    body = {"sub": "alice", "iss": "https://idp.example", "aud": "tracegraph", "exp": int(time.time()) + 300,
            "roles": ["auditor"]}
    body.update(claims)
    return jwt.encode({k: v for k, v in body.items() if v is not None}, claims.pop("key", SECRET), algorithm="HS256")


def test_valid_jwt_is_accepted(jwt_client):
    assert jwt_client.get("/v1/audit", headers={"Authorization": f"Bearer {token()}"}).status_code == 200


@pytest.mark.parametrize("claims", [
    {"exp": int(time.time()) - 10},
    {"aud": "someone-else"},
    {"iss": "https://evil.example"},
    {"sub": None},
    {"roles": ["superuser"]},
    {"roles": ["partner"]},  # a partner token without its party
])
def test_bad_jwt_is_401(jwt_client, claims):
    assert jwt_client.get("/v1/audit", headers={"Authorization": f"Bearer {token(**claims)}"}).status_code == 401


def test_jwt_signed_with_another_key_is_401(jwt_client):
    forged = jwt.encode({"sub": "x", "iss": "https://idp.example", "aud": "tracegraph",
                         "exp": int(time.time()) + 60, "roles": ["admin"]}, "another-secret-of-32-bytes-long!!",
                        algorithm="HS256")
    assert jwt_client.get("/v1/audit", headers={"Authorization": f"Bearer {forged}"}).status_code == 401


def test_unsigned_jwt_is_401(jwt_client):
    forged = jwt.encode({"sub": "x", "iss": "https://idp.example", "aud": "tracegraph",
                         "exp": int(time.time()) + 60, "roles": ["admin"]}, None, algorithm="none")
    assert jwt_client.get("/v1/audit", headers={"Authorization": f"Bearer {forged}"}).status_code == 401


def test_jwt_role_without_permission_is_403(jwt_client):
    headers = {"Authorization": f"Bearer {token(roles=['integrator'])}"}
    assert jwt_client.get("/v1/audit", headers=headers).status_code == 403


# --- the role table -----------------------------------------------------------------------

def test_docs_show_the_table_the_code_checks():
    doc = (Path(__file__).resolve().parents[1] / "docs" / "security.md").read_text()
    section = doc.split("<!-- permissions:begin -->")[1].split("<!-- permissions:end -->")[0]
    assert section.strip() == roles.markdown_table()


def routes(app) -> list[tuple[str, str, list[str]]]:
    """(method, path, permissions asked for) of every API route, through included routers."""
    out = []
    for rc in iter_route_contexts(app.routes):
        stack = list(rc.dependant.dependencies) if hasattr(rc, "dependant") else []
        asked = []
        while stack:
            dep = stack.pop()
            if hasattr(dep.call, "permission"):
                asked.append(dep.call.permission)
            stack.extend(dep.dependencies)
        out += [(method, rc.path, sorted(set(asked))) for method in sorted(rc.methods or []) if method != "HEAD"]
    return out


def test_routes_are_found_through_included_routers(client):
    assert ("GET", "/v1/audit", ["audit:read"]) in routes(client.app)


def test_every_permission_a_route_asks_for_is_in_the_table(client):
    asked = {perm for _, _, perms in routes(client.app) for perm in perms}
    assert asked - set(roles.PERMISSIONS) == set()


def test_every_role_has_a_row():
    assert set(roles.ROLE_PERMISSIONS) == set(Role)


# --- request guards ---------------------------------------------------------------------

def test_request_id_is_echoed(client):
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"] == "abc-123"


def test_request_id_is_made_when_missing_or_unsafe(client):
    given = client.get("/healthz", headers={"X-Request-ID": "bad id\twith spaces"}).headers["x-request-id"]
    assert len(given) == 36


def test_oversized_body_is_413(client):
    response = client.post("/v1/users", content=b"x" * (client.app.state.db.settings.max_request_bytes + 1),
                           headers={"content-type": "application/json"})
    assert (response.status_code, response.headers["content-type"]) == (413, PROBLEM)


def test_oversized_chunked_body_is_413(client):
    limit = client.app.state.db.settings.max_request_bytes

    def chunks():
        for _ in range(limit // 65536 + 2):
            yield b"x" * 65536
    response = client.post("/v1/users", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413


def test_chunked_body_under_the_limit_reaches_the_route_whole(client):
    """A body sent without Content-Length is read by the security middleware and given to the
    route as it came: split into chunks, the JSON still parses, and the route judges its fields."""
    body = b'{"starts": [{"kind": "lot", "id": "not-an-identifier"}]}'

    def chunks():
        yield from (body[i:i + 7] for i in range(0, len(body), 7))
    response = client.post("/v1/recall-scope", content=chunks(), headers={"content-type": "application/json"})
    assert (response.status_code, response.json()["field"]) == (422, "starts[0].id")


def test_partner_rate_limit_is_429_with_retry_after(db):
    from tests.conftest import issue_key
    settings = db.settings.model_copy(update={"partner_rate_burst": 3, "partner_rate_per_minute": 1})
    with TestClient(create_app(settings)) as c:
        c.headers["Authorization"] = "Bearer " + issue_key(db, "p", ["partner"], "urn:epc:id:pgln:0614141.00003")
        statuses = [c.get("/v1/verify", params={"id": "urn:epc:id:sgtin:0614141.812345.1"}).status_code
                    for _ in range(4)]
        last = c.get("/v1/verify", params={"id": "urn:epc:id:sgtin:0614141.812345.1"})
    assert (statuses, last.status_code, int(last.headers["retry-after"]) > 0) == ([404, 404, 404, 429], 429, True)


# --- the CLI ----------------------------------------------------------------------------

def tracegraph(db, *args: str):
    import os
    import subprocess
    import sys

    from tracegraph.audit import service as audit
    audit._key()  # the same key file as this process
    env = dict(os.environ, TRACEGRAPH_NEO4J_URI=db.settings.neo4j_uri,
               TRACEGRAPH_NEO4J_PASSWORD=db.settings.neo4j_password,
               TRACEGRAPH_AUDIT_KEY_PATH=str(audit._key_path.resolve()))
    return subprocess.run([sys.executable, "-c", "from tracegraph.cli import main; main()", *args],
                          cwd=Path(__file__).resolve().parents[1], env=env, capture_output=True, text=True,
                          timeout=120)


def test_cli_creates_a_user_and_a_key_that_works_until_revoked(client_as, client):
    db = client.app.state.db
    made = tracegraph(db, "users", "create", "carol", "--role", "auditor")
    key = tracegraph(db, "keys", "create", "carol", "--days", "1")
    secret = key.stdout.strip()
    works = client_as(None).get("/v1/audit", headers={"Authorization": f"Bearer {secret}"}).status_code
    key_id = secret[4:].split("_")[0]
    revoked = tracegraph(db, "keys", "revoke", key_id)
    service._cache.clear()  # another process revoked it; this one's cache would hold it for a few seconds
    after = client_as(None).get("/v1/audit", headers={"Authorization": f"Bearer {secret}"}).status_code
    assert (made.returncode, key.returncode, works, revoked.returncode, after) == (0, 0, 200, 0, 401)


def test_cli_bad_input_is_one_line_and_exit_1(db):
    result = tracegraph(db, "users", "create", "bad name!", "--role", "auditor")
    assert (result.returncode, result.stderr.count("\n"), result.stderr.startswith("error: ")) == (1, 1, True)
