"""The OpenAPI document a generated client can use (issue 18 §3): security schemes, problem
responses with their schema, the capture body and the event query declared, a description
on every operation and schema, examples that satisfy their schemas, and a client generated
by openapi-python-client that calls the real app."""
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from api.main import create_app
from core.fastjson import DEFAULT_LIMITS as LIMITS

METHODS = {"get", "put", "post", "patch", "delete"}


@pytest.fixture(scope="module")
def spec() -> dict:
    return create_app().openapi()


def operations(spec: dict):
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if method in METHODS:
                yield path, method, op


def test_security_schemes_give_docs_an_authorize_button(spec):
    schemes = spec["components"]["securitySchemes"]
    assert {(s["type"], s.get("scheme") or s.get("in")) for s in schemes.values()} == {("http", "bearer"),
                                                                                        ("apiKey", "header")}


def test_every_protected_operation_names_its_security_and_401(spec):
    missing = [(m, p) for p, m, op in operations(spec)
               if p not in ("/healthz", "/readyz") and (not op.get("security") or "401" not in op["responses"])]
    assert missing == []


def test_public_operations_need_no_credentials(spec):
    assert spec["paths"]["/healthz"]["get"]["security"] == []


def test_every_problem_is_declared_as_problem_json_with_its_schema(spec):
    wrong = []
    for path, method, op in operations(spec):
        for status, response in op["responses"].items():
            if status.startswith("4") or (status == "503" and path != "/readyz"):
                content = response.get("content", {})
                if list(content) != ["application/problem+json"] or \
                        content["application/problem+json"]["schema"] != {"$ref": "#/components/schemas/Problem"}:
                    wrong.append((method, path, status))
    assert wrong == []


def test_the_validation_error_is_a_problem_not_fastapis_shape(spec):
    assert "HTTPValidationError" not in spec["components"]["schemas"]


def test_capture_body_declares_json_ld_and_xml(spec):
    content = spec["paths"]["/epcis/capture"]["post"]["requestBody"]["content"]
    assert {"application/ld+json", "application/json", "application/xml", "text/xml"} == set(content)


def test_event_query_parameters_are_declared(spec):
    names = {p["name"] for p in spec["paths"]["/epcis/events"]["get"]["parameters"]}
    assert {"eventType", "EQ_bizStep", "MATCH_epc", "GE_eventTime", "LT_eventTime", "perPage",
            "nextPageToken"} <= names


def test_every_operation_has_a_description(spec):
    assert [(m, p) for p, m, op in operations(spec) if not op.get("description")] == []


def test_every_operation_has_an_example_response(spec):
    bare = [(m, p) for p, m, op in operations(spec)
            if not any("example" in media or "examples" in media
                       for status, r in op["responses"].items() if status.startswith("2")
                       for media in (r.get("content") or {}).values())
            and not any(status == "204" for status in op["responses"])]
    assert bare == []


def test_every_schema_has_a_description_and_an_example(spec):
    schemas = spec["components"]["schemas"]
    assert [n for n, s in schemas.items() if not s.get("description") or
            ("example" not in s and "examples" not in s)] == []


def _validator(spec: dict, schema: dict):
    root = {**schema, "components": spec["components"]}
    return jsonschema.Draft202012Validator(root)


def test_every_schema_example_satisfies_its_schema(spec):
    bad = []
    for name, schema in spec["components"]["schemas"].items():
        errors = list(_validator(spec, schema).iter_errors(schema.get("example")))
        if errors:
            bad.append((name, errors[0].message))
    assert bad == []


def test_every_response_example_satisfies_its_schema(spec):
    bad = []
    for path, method, op in operations(spec):
        for status, response in op["responses"].items():
            for media in (response.get("content") or {}).values():
                if "example" in media and "schema" in media:
                    errors = list(_validator(spec, media["schema"]).iter_errors(media["example"]))
                    if errors:
                        bad.append((method, path, status, errors[0].message))
    assert bad == []


def test_operation_ids_and_model_titles_are_unique(spec):
    ids = [op["operationId"] for _, _, op in operations(spec)]
    titles = [s.get("title") for s in spec["components"]["schemas"].values()]
    assert (len(ids), len(titles)) == (len(set(ids)), len(set(titles)))


# --- a generated client against the real app --------------------------------------------------

@pytest.fixture(scope="module")
def generated(tmp_path_factory, spec):
    """openapi-python-client's package for this document, importable as `tracegraph_client`."""
    where = tmp_path_factory.mktemp("client")
    (where / "openapi.json").write_text(json.dumps(spec))
    done = subprocess.run([str(Path(sys.executable).parent / "openapi-python-client"), "generate",
                           "--path", str(where / "openapi.json"), "--output-path", str(where / "tracegraph_client"),
                           "--meta", "none"], capture_output=True, text=True, timeout=300, check=False)
    assert (where / "tracegraph_client" / "client.py").exists(), done.stdout + done.stderr
    sys.path.insert(0, str(where))
    yield done
    sys.path.remove(str(where))
    for name in [m for m in sys.modules if m.startswith("tracegraph_client")]:
        del sys.modules[name]


def test_the_generator_skips_only_media_types_it_cannot_handle(generated):
    """XML capture bodies and JSON Lines downloads are beyond openapi-python-client; nothing else is."""
    reasons = [line for line in (generated.stdout + generated.stderr).splitlines()
               if line.startswith(("Unable", "Cannot", "Could not", "Invalid", "Attempted", "Unsupported"))]
    assert [r for r in reasons if "nsupported content type" not in r and "nsupported content_type" not in r] == []


@pytest.fixture
def api_client(generated, client):
    from tracegraph_client import AuthenticatedClient
    made = AuthenticatedClient(base_url="http://testserver", token="unused")
    made.set_httpx_client(client)  # the TestClient is an httpx.Client with the admin's key
    return made


def test_generated_client_lists_users(api_client):
    from tracegraph_client.api.users import list_users_v1_users_get
    from tracegraph_client.models import User
    users = list_users_v1_users_get.sync(client=api_client)
    assert ("test-admin", True) in [(u.name, isinstance(u, User)) for u in users]


def test_generated_client_creates_a_hold_and_reads_it_back(api_client, client):
    from tracegraph_client.api.holds import create_hold_v1_holds_post, get_hold_v1_holds_id_get
    from tracegraph_client.models import HoldKind, HoldRequest

    from tests import partners, scenario
    partners.load(client.app.state.db)
    made = create_hold_v1_holds_post.sync(client=api_client, body=HoldRequest(
        kind=HoldKind.SERIAL, target=scenario.D1, reason="suspect batch"))
    again = get_hold_v1_holds_id_get.sync(client=api_client, id=made.id)
    assert (again.id, again.reason) == (made.id, "suspect batch")


def test_generated_client_reads_a_problem(api_client):
    from tracegraph_client.api.verify import verify_v1_verify_get
    from tracegraph_client.models import Problem
    answer = verify_v1_verify_get.sync(client=api_client, id="urn:epc:id:sgtin:0614141.812345.424242")
    assert (isinstance(answer, Problem), answer.status, answer.field) == (True, 404, "id")


def _unbounded_numbers(spec: dict, schema: dict, where: str, seen: set[str],
                       limit: float = LIMITS.max_number) -> list[str]:
    """Where in `schema` (refs followed) a number may be beyond `limit` in magnitude (by default
    what the JSON codec takes), an untyped value (any number) included."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        return _unbounded_numbers(spec, spec["components"]["schemas"][name], f"{where}<{name}>", seen | {name}, limit)
    found = []
    if not {"type", "anyOf", "oneOf", "allOf", "enum", "const"} & schema.keys() or \
            schema.get("additionalProperties") is True or \
            (schema.get("type") == "object" and not {"properties", "additionalProperties"} & schema.keys()):
        return [f"{where} (any value)"]
    if schema.get("type") in ("integer", "number"):
        top = schema.get("maximum", schema.get("exclusiveMaximum"))
        bottom = schema.get("minimum", schema.get("exclusiveMinimum"))
        if top is None or bottom is None or max(abs(top), abs(bottom)) > limit:
            found.append(where)
    for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
        for n, part in enumerate(schema.get(key, [])):
            found += _unbounded_numbers(spec, part, f"{where}|{n}", seen, limit)
    for name, part in (schema.get("properties") or {}).items():
        found += _unbounded_numbers(spec, part, f"{where}.{name}", seen, limit)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            found += _unbounded_numbers(spec, schema[key], f"{where}[]", seen, limit)
    return found


def test_every_number_a_json_body_takes_is_bounded_within_the_codecs_limit(spec):
    """The JSON codec refuses any number beyond `max_number` (400 out-of-range) before a model
    sees it: a body schema that allows more promises what the server refuses (found by
    schemathesis: `page` 3.7e30 in a recall-scope export, -3.7e164 in a free-form rule parameter).
    So each number a /v1 body takes says its bounds, and no value is untyped. EPCIS capture follows
    GS1's schema, and the binding answers such refusals 400."""
    bad = []
    for path, method, op in operations(spec):
        content = (op.get("requestBody") or {}).get("content", {})
        if path.startswith("/v1/") and "application/json" in content:
            bad += _unbounded_numbers(spec, content["application/json"]["schema"], f"{method} {path}", set())
    assert bad == []


def test_every_number_a_parameter_takes_is_bounded(spec):
    """A query or path number beyond 64 bits cannot reach Neo4j (the driver refuses it): each
    numeric parameter says bounds within them, so such a value is a 422 naming it, not a 500."""
    bad = []
    for path, method, op in operations(spec):
        for param in op.get("parameters", []):
            where = f"{method} {path} {param['name']}"
            bad += _unbounded_numbers(spec, param.get("schema", {}), where, set(), 2**63 - 1)
    assert bad == []
