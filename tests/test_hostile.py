"""Hostile input: Cypher injection through every string parameter, malformed and
oversized JSON and XML (XXE, entity expansion), overlong identifiers. Never a 5xx,
never a change to the data."""
from urllib.parse import quote

import pytest

from loaders.epcis.xml import EpcisXmlError, parse_epcis_xml
from tests import partners as p
from tests import scenario as s

INJECTIONS = [
    "' OR 1=1 //",
    "x\"}) MATCH (n) DETACH DELETE n //",
    "x') DETACH DELETE n RETURN 1 //",
    f"{s.D1}' OR '1'='1",
    "urn:epc:id:sgtin:0614141.812345.1}) WITH 1 AS x MATCH (n) DETACH DELETE n //",
    "$epc",
    "\\u0027; CALL db.clearQueryCaches() //",
    "x\x00y",
]


@pytest.fixture
def api(client):
    p.load(client.app.state.db)
    return client


def counts(client) -> dict:
    return client.app.state.db.read("backup/count")[0]


def _value(schema: dict) -> str:
    if "enum" in schema:
        return str(schema["enum"][0])
    kind = schema.get("type") or next((x.get("type") for x in schema.get("anyOf", []) if x.get("type") != "null"),
                                      "string")
    return {"integer": "1", "number": "1", "boolean": "true"}.get(kind, "x")


def string_parameters(app) -> list[tuple[str, str, str, dict]]:
    """(path, parameter, where, the other required parameters) for every GET string parameter."""
    out = []
    for path, ops in app.openapi()["paths"].items():
        op = ops.get("get")
        if not op:
            continue
        params = op.get("parameters", [])
        for param in params:
            schema = param.get("schema", {})
            types = {schema.get("type")} | {x.get("type") for x in schema.get("anyOf", [])}
            if "string" in types and "enum" not in schema and "format" not in schema:
                others = {q["name"]: _value(q.get("schema", {})) for q in params
                          if q is not param and (q.get("required") or q["in"] == "path")}
                out.append((path, param["name"], param["in"], others))
    return out


def test_there_are_string_parameters_to_attack(client):
    assert len(string_parameters(client.app)) >= 5


def test_cypher_injection_through_every_string_parameter_changes_nothing(api):
    before = counts(api)
    failures = []
    for path, name, where, others in string_parameters(api.app):
        for payload in INJECTIONS:
            values = dict(others, **{name: payload})
            url = path
            for key in [k for k in values if "{" + k in url]:
                url = url.replace("{" + key + "}", quote(values.pop(key), safe="")).replace(
                    "{" + key + ":path}", quote(payload if key == name else "x", safe=""))
            response = api.get(url, params=values if where == "query" or values else None)
            if response.status_code >= 500:
                failures.append((path, name, payload, response.status_code))
    assert (failures, counts(api)) == ([], before)


@pytest.mark.parametrize("field", ["name", "display_name"])
def test_injection_in_a_json_body_is_refused_or_stored_verbatim(api, field):
    body = {"name": "eve", "roles": ["auditor"], field: "eve'}) MATCH (n) DETACH DELETE n //"}
    response = api.post("/v1/users", json=body)
    stored = api.get("/v1/users/eve").json() if response.status_code == 201 else None
    assert (response.status_code, stored and stored["display_name"]) in \
        [(422, None), (201, body["display_name"] if field == "display_name" else None)]


def test_recall_scope_with_injected_ids_is_a_clean_error(api):
    before = counts(api)
    for payload in INJECTIONS:
        response = api.post("/v1/recall-scope", json={"starts": [{"kind": "lot", "id": payload}]})
        assert response.status_code in (404, 422)
    assert counts(api) == before


@pytest.mark.parametrize("body", [
    b'{"name": ',
    b"[" * 50_000 + b"]" * 50_000,
    b'{"name": "a", "roles": ["admin"]' + b" " * 10,
    b"\xff\xfe\x00garbage",
    b'{"name": 1e999999, "roles": []}',
    b'{"name": "x", "roles": ' + b'["admin",' * 10_000 + b'"admin"' + b"]" * 10_001 + b"}",
])
def test_malformed_json_is_a_4xx_problem(api, body):
    response = api.post("/v1/users", content=body, headers={"content-type": "application/json"})
    assert (400 <= response.status_code < 500, response.headers["content-type"]) == \
        (True, "application/problem+json")


def test_oversized_json_is_413(api):
    too_big = b'{"name": "' + b"a" * api.app.state.db.settings.max_request_bytes + b'"}'
    assert api.post("/v1/users", content=too_big, headers={"content-type": "application/json"}).status_code == 413


@pytest.mark.parametrize("path", [
    "/v1/verify?id=" + "1" * 5000,
    "/v1/trace/forward?id=urn:epc:id:sgtin:0614141.812345." + "9" * 5000,
    "/v1/serials/" + "urn:epc:id:sgtin:0614141.812345." + "9" * 5000,
    "/v1/audit?subject=" + "s" * 5000,
    "/v1/verify?id=https://id.gs1.org/01/09506000134352/21/" + "A" * 3000,
])
def test_overlong_identifiers_are_422(api, path):
    response = api.get(path)
    assert (response.status_code, response.headers["content-type"]) == (422, "application/problem+json")


def test_overlong_credentials_are_401(client_as):
    response = client_as(None).get("/v1/audit", headers={"Authorization": "Bearer " + "a" * 20_000})
    assert response.status_code == 401


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0"><EPCISBody><EventList>
<ObjectEvent><eventTime>&xxe;</eventTime></ObjectEvent></EventList></EPCISBody></epcis:EPCISDocument>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2">&lol4;</epcis:EPCISDocument>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE epcis SYSTEM "http://127.0.0.1:9/evil.dtd">
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2"/>"""


@pytest.mark.parametrize("doc", [XXE, LAUGHS, EXTERNAL_DTD, b"<a>" * 100_000, b"<unclosed", b""])
def test_hostile_xml_is_refused_by_the_parser(doc):
    with pytest.raises(EpcisXmlError):
        parse_epcis_xml(doc)


# --- issue 20 §2: no 5xx for anything a client can send to POST /epcis/capture ----------------

CONTEXT_URL = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld"


def _event(**change) -> dict:
    from tests import epcis as e
    return dict(e.observe([e.sgtin("77")], 1, 1), **change)


def _doc(*events) -> dict:
    from tests import epcis as e
    return e.document(list(events))


def _lot_with_quantity(text: str) -> bytes:
    import json

    from tests import epcis as e
    body = json.dumps(_doc(e.commission_lot(e.lgtin("Q1"), 1)))
    return body.replace('"quantity": 100', f'"quantity": {text}').encode()


HOSTILE_DOCUMENTS = {
    "huge quantity": (_lot_with_quantity("1e308"), 0, "quantityList[0].quantity"),
    "lone surrogate": (None, 0, "example:note"),
    "nested extension": (None, 0, "example:deep"),  # 200 levels: decodable, beyond the limit of 64
    "1 MB string": (None, 0, "example:big"),
}


def hostile(name: str) -> bytes:
    import json
    if name == "huge quantity":
        return HOSTILE_DOCUMENTS[name][0]
    if name == "lone surrogate":
        return json.dumps(_doc(_event(**{"example:note": "x"}))).replace('"x"', '"\\ud800"').encode()
    if name in ("nested extension", "deeply nested extension"):
        depth = 200 if name == "nested extension" else 100_000
        text = json.dumps(_doc(_event(**{"example:deep": 0})))
        return text.replace('"example:deep": 0', '"example:deep": ' + "[" * depth + "]" * depth).encode()
    return json.dumps(_doc(_event(**{"example:big": "a" * 1_000_000}))).encode()


def capture(client, body: bytes, media: str = "application/ld+json"):
    return client.post("/epcis/capture", content=body, headers={"content-type": media})


@pytest.mark.parametrize("name", list(HOSTILE_DOCUMENTS))
def test_hostile_capture_is_400_naming_event_and_field_with_nothing_written(api, name):
    before = counts(api)
    response = capture(api, hostile(name))
    _, index, field = HOSTILE_DOCUMENTS[name]
    body = response.json()
    assert (response.status_code, body.get("eventIndex"), body.get("field", "").startswith(field), counts(api)) == \
        (400, index, True, before)


def test_nesting_too_deep_to_decode_is_400_with_nothing_written(api):
    before = counts(api)
    response = capture(api, hostile("deeply nested extension"))
    assert (response.status_code, "nested" in response.json()["detail"], counts(api)) == (400, True, before)


def test_nesting_at_the_top_level_is_400(api):
    response = capture(api, b"[" * 100_000 + b"]" * 100_000)
    assert (response.status_code, response.headers["content-type"]) == (400, "application/problem+json")


def test_utf16_body_is_refused(api):
    import json
    response = capture(api, json.dumps(_doc(_event())).encode("utf-16"))
    assert (response.status_code, "UTF-8" in response.json()["detail"]) == (400, True)


def test_json_sent_as_xml_is_refused(api):
    import json
    response = capture(api, json.dumps(_doc(_event())).encode(), "application/xml")
    assert response.status_code == 400


def test_xml_sent_as_json_is_refused(api):
    response = capture(api, b'<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2"/>', "application/json")
    assert response.status_code == 400


@pytest.mark.parametrize("change", [
    {"eventTime": "2099-01-01T00:00:00Z"},
    {"epcList": ["urn:epc:id:sgtin:bad"]},
], ids=["time in 2099", "invalid EPC URN"])
def test_what_the_job_would_refuse_is_refused_before_the_202(api, change):
    import json
    before = counts(api)
    response = capture(api, json.dumps(_doc(_event(**change))).encode())
    assert (response.status_code // 100, "location" in response.headers, counts(api)) == (4, False, before)


def test_one_bad_event_at_the_end_of_10000_is_refused_at_once(api):
    import json

    from tests import epcis as e
    events = [e.observe([e.sgtin(str(1000 + i))], i, 1) for i in range(9_999)]
    events.append(dict(e.observe([e.sgtin("99999")], 1, 1), eventTime="2099-01-01T00:00:00Z"))
    response = capture(api, json.dumps(e.document(events)).encode())
    assert (response.status_code // 100, "location" in response.headers) == (4, False)


def test_a_good_document_is_still_accepted(api):
    import json
    assert capture(api, json.dumps(_doc(_event())).encode()).status_code == 202


# --- §2b: the CLI, master data, paging, times, unknown fields, string bounds ------------------

@pytest.mark.parametrize("name", list(HOSTILE_DOCUMENTS))
def test_cli_load_of_a_hostile_document_is_one_line_naming_file_event_and_field(tmp_path, neo4j_settings, name):
    import os
    import subprocess
    import sys
    path = tmp_path / "hostile.json"
    path.write_bytes(hostile(name))
    env = dict(os.environ, TRACEGRAPH_NEO4J_URI=neo4j_settings.neo4j_uri,
               TRACEGRAPH_NEO4J_PASSWORD=neo4j_settings.neo4j_password)
    done = subprocess.run([sys.executable, "-c", "from tracegraph.cli import main; main()", "load", str(path)],
                          capture_output=True, text=True, env=env, timeout=300, check=False)
    _, index, field = HOSTILE_DOCUMENTS[name]
    assert (done.returncode, done.stderr.strip().count("\n"), f"{path}: event {index}: {field}" in done.stderr,
            "Traceback" in done.stderr) == (1, 0, True, False)


def test_cli_load_of_nesting_too_deep_to_decode_is_one_line(tmp_path, neo4j_settings):
    import os
    import subprocess
    import sys
    path = tmp_path / "deep.json"
    path.write_bytes(hostile("deeply nested extension"))
    env = dict(os.environ, TRACEGRAPH_NEO4J_URI=neo4j_settings.neo4j_uri,
               TRACEGRAPH_NEO4J_PASSWORD=neo4j_settings.neo4j_password)
    done = subprocess.run([sys.executable, "-c", "from tracegraph.cli import main; main()", "load", str(path)],
                          capture_output=True, text=True, env=env, timeout=300, check=False)
    assert (done.returncode, done.stderr.strip().count("\n"), f"{path}: $: nested" in done.stderr) == (1, 0, True)


MASTER_RECORDS = {
    "products": {"gtin": "00614141812349"},
    "parties": {"epc": "urn:epc:id:pgln:0614141.00001"},
    "sites": {"epc": "urn:epc:id:sgln:0614141.00001.0"},
}


@pytest.mark.parametrize("kind", list(MASTER_RECORDS))
def test_master_data_with_a_lone_surrogate_is_400(api, kind):
    import json
    body = json.dumps([dict(MASTER_RECORDS[kind], name="x")]).replace('"x"', '"\\ud800"')
    response = api.put(f"/v1/master/{kind}", content=body, headers={"content-type": "application/json"})
    assert (response.status_code, response.json()["field"]) == (400, "[0].name")


@pytest.mark.parametrize("kind", list(MASTER_RECORDS))
def test_a_1mb_name_is_refused(api, kind):
    response = api.put(f"/v1/master/{kind}", json=[dict(MASTER_RECORDS[kind], name="n" * 1_000_000)])
    assert response.status_code in (400, 422)


@pytest.mark.parametrize("kind", list(MASTER_RECORDS))
def test_a_name_just_over_the_default_bound_is_422(api, kind):
    from core.requests import MAX_TEXT
    response = api.put(f"/v1/master/{kind}", json=[dict(MASTER_RECORDS[kind], name="n" * (MAX_TEXT + 1))])
    assert (response.status_code, response.json()["field"]) == (422, "0.name")


@pytest.mark.parametrize("path", ["/v1/alerts", "/v1/master/relationships", "/v1/master/products",
                                  "/v1/quality/findings"])
def test_offset_beyond_64_bits_is_422(api, path):
    assert api.get(path, params={"offset": 2 ** 63}).status_code == 422


def test_every_integer_query_parameter_is_bounded(client):
    unbounded = [(path, method, p["name"]) for path, ops in client.app.openapi()["paths"].items()
                 for method, op in ops.items() for p in op.get("parameters", [])
                 if _types(p.get("schema", {})) & {"integer", "number"} and not _has(p.get("schema", {}), "maximum")]
    assert unbounded == []


def _types(schema: dict) -> set:
    return {schema.get("type")} | {s.get("type") for s in schema.get("anyOf", [])}


def _has(schema: dict, key: str) -> bool:
    return key in schema or any(key in s for s in schema.get("anyOf", []) if s.get("type") != "null")


@pytest.mark.parametrize("since", ["0023-12-23T08:43:08.2414+22:09", "2025-01-01T00:00:00-19:00",
                                   "0001-01-01T00:00:00+05:00", "0.5",
                                   "2025-01-01T00:00:00"])  # no offset: ambiguous by hours
def test_odd_datetimes_are_422(api, since):
    assert api.get("/v1/alerts", params={"since": since}).status_code == 422


@pytest.mark.parametrize("since", ["2025-01-01T00:00:00+05:30", "2025-01-01T00:00:00Z"])
def test_ordinary_datetimes_are_accepted(api, since):
    assert api.get("/v1/alerts", params={"since": since}).status_code == 200


@pytest.mark.parametrize("value", ["0023-12-23T08:43:08+22:09", "0001-01-01T00:00:00+05:00"])
def test_odd_datetimes_in_the_epcis_query_are_400(api, value):
    assert api.get("/epcis/events", params={"GE_eventTime": value}).status_code == 400


def test_unknown_field_in_a_user_change_is_422_and_not_audited(api):
    before = len(api.get("/v1/audit", params={"subject": "user:test-admin", "limit": 1000}).json())
    response = api.patch("/v1/users/test-admin", json={"unexpected": True})
    after = len(api.get("/v1/audit", params={"subject": "user:test-admin", "limit": 1000}).json())
    assert (response.status_code, after) == (422, before)


def test_unknown_field_in_a_new_key_is_422_and_issues_nothing(api):
    before = len(api.get("/v1/users/test-admin/keys").json())
    response = api.post("/v1/users/test-admin/keys", json={"unexpected": True})
    assert (response.status_code, len(api.get("/v1/users/test-admin/keys").json())) == (422, before)


def _body_schemas(spec: dict) -> dict[str, dict]:
    """Every schema reachable from a JSON request body."""
    schemas, found, stack = spec["components"]["schemas"], {}, []
    for ops in spec["paths"].values():
        for op in ops.values():
            media = (op.get("requestBody") or {}).get("content", {}).get("application/json")
            if media:
                stack.append(media["schema"])
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if ref and ref.rsplit("/", 1)[1] not in found:
                name = ref.rsplit("/", 1)[1]
                found[name] = schemas[name]
                stack.append(schemas[name])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


EXTENSIBLE = {"EPCISDocument"}  # EPCIS allows extension fields; bounded by core/fastjson limits instead


def test_every_request_model_forbids_unknown_fields(client):
    objects = {name: s for name, s in _body_schemas(client.app.openapi()).items()
               if s.get("type") == "object" and name not in EXTENSIBLE}
    assert [name for name, s in objects.items() if s.get("additionalProperties") is not False
            and "properties" in s] == []


def test_every_string_in_a_request_body_is_bounded(client):
    loose = []
    for name, schema in _body_schemas(client.app.openapi()).items():
        for field, prop in schema.get("properties", {}).items():
            options = [prop] + prop.get("anyOf", [])
            for option in options:
                if option.get("type") == "string" and not {"maxLength", "enum", "format", "const"} & set(option):
                    loose.append(f"{name}.{field}")
    assert loose == []


# --- §2c: limits and disclosure --------------------------------------------------------------

def test_rate_limit_is_keyed_on_the_principal_not_the_header_text(db):
    from fastapi.testclient import TestClient

    from api.main import create_app
    from tests.conftest import issue_key
    settings = db.settings.model_copy(update={"partner_rate_burst": 3, "partner_rate_per_minute": 1})
    key = issue_key(db, "p", ["partner"], "urn:epc:id:pgln:0614141.00003")
    forms = ["Bearer " + key, "bearer " + key, "BEARER " + key, "Bearer   " + key, "Bearer " + key + "  "]
    with TestClient(create_app(settings)) as c:
        statuses = [c.get("/v1/verify", params={"id": "urn:epc:id:sgtin:0614141.812345.1"},
                          headers={"Authorization": form}).status_code for form in forms]
    assert statuses == [404, 404, 404, 429, 429]


def _json_routes(app, with_permissions: bool = False) -> list:
    """(method, path) of every route with a JSON body; with_permissions: (method, path, permissions asked)."""
    from fastapi.routing import iter_route_contexts

    from api.guard import body_kind
    from tests.test_auth import routes
    asked = {(method, path): perms for method, path, perms in routes(app)}
    out = []
    for rc in iter_route_contexts(app.routes):
        if body_kind(rc) == "json":
            path = rc.path_format.replace("{id}", "x").replace("{name}", "nobody")
            out += [(method, path, asked.get((method, rc.path), [])) if with_permissions else (method, path)
                    for method in rc.methods]
    return out


def test_there_are_json_body_routes(client):
    assert len(_json_routes(client.app)) >= 10


def test_malformed_json_without_credentials_is_401_on_every_json_route(client, client_as):
    anonymous = client_as(None)
    statuses = {(m, p): anonymous.request(m, p, content=b"{bad", headers={"content-type": "application/json"})
                .status_code for m, p in _json_routes(client.app)}
    assert set(statuses.values()) == {401}


def test_malformed_json_from_a_partner_is_403_where_the_partner_may_not_call(client, client_as):
    """403 before the body is read on every JSON route the partner role lacks a permission for;
    where it holds them (acknowledging its notices, its EPCIS subscriptions) the body is judged: 400."""
    from tracegraph.security import roles
    partner = client_as("partner", party="urn:epc:id:pgln:0614141.00003")
    statuses, expected = {}, {}
    for m, path, perms in _json_routes(client.app, with_permissions=True):
        statuses[(m, path)] = partner.request(m, path, content=b"{bad", headers={"content-type": "application/json"}
                                           ).status_code
        expected[(m, path)] = 400 if perms and all(roles.allows({"partner"}, x) for x in perms) else 403
    assert statuses == expected


def test_partners_may_send_a_body_to_few_routes(client):
    """The case above is not vacuous: most JSON routes are closed to partners."""
    from tracegraph.security import roles
    allowed = [(m, path) for m, path, perms in _json_routes(client.app, with_permissions=True)
               if perms and all(roles.allows({"partner"}, x) for x in perms)]
    assert 0 < len(allowed) < len(_json_routes(client.app)) // 3


def test_a_lone_surrogate_is_400_on_every_json_route(client):
    statuses = {(m, p): client.request(m, p, content=b'{"name": "\\ud800"}',
                                       headers={"content-type": "application/json"}).status_code
                for m, p in _json_routes(client.app)}
    assert set(statuses.values()) == {400}


def test_a_non_json_body_on_a_json_route_is_415(client):
    response = client.post("/v1/users", content=b"name=x", headers={"content-type": "text/plain"})
    assert response.status_code == 415


UNKNOWN_PREFIX_DL = "https://id.gs1.org/01/09912345000014/21/7"


def test_a_partner_cannot_tell_an_unknown_prefix_from_a_foreign_serial(api, client_as):
    from tests import partners
    partner = client_as("partner", party=partners.DIST)
    unknown = partner.get("/v1/verify", params={"id": UNKNOWN_PREFIX_DL})
    foreign = partner.get("/v1/verify", params={"id": s.D3})
    keys = ("type", "title", "status", "field")
    assert [unknown.json()[k] for k in keys] == [foreign.json()[k] for k in keys] == \
        ["https://tracegraph.dev/problems/not-found", "Not found", 404, "id"]


def test_internal_callers_still_hear_about_unknown_prefixes(api):
    assert api.get("/v1/verify", params={"id": UNKNOWN_PREFIX_DL}).status_code == 422


def test_partner_not_found_answers_wait_for_the_same_floor(api, client_as, monkeypatch):
    from api.routes import verify
    from tests import partners
    waits = []

    async def record(started, seconds):
        waits.append(seconds)
    monkeypatch.setattr(verify, "at_least", record)
    partner = client_as("partner", party=partners.DIST)
    for value in (UNKNOWN_PREFIX_DL, s.D3, "urn:epc:id:sgtin:0614141.812345.424242"):
        partner.get("/v1/verify", params={"id": value})
    floor = api.app.state.db.settings.partner_not_found_seconds
    assert waits == [floor, floor, floor]


def test_a_partner_parsing_learns_no_company_prefix(api, client_as):
    from tests import partners
    partner = client_as("partner", party=partners.DIST)
    known = partner.get("/v1/identifiers/parse", params={"value": "https://id.gs1.org/01/00614141812349/21/1"})
    unknown = partner.get("/v1/identifiers/parse", params={"value": UNKNOWN_PREFIX_DL})
    assert (known.json()["epc_urn"], unknown.json()["epc_urn"], known.json()["errors"].keys() ==
            unknown.json()["errors"].keys()) == (None, None, True)
