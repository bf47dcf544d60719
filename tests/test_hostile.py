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
