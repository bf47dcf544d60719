"""The OpenAPI document, completed for every route whoever wrote it (docs/api-conventions.md):

- security schemes (API key header, bearer JWT or key) and each protected operation's
  `security`, so /docs has an Authorize button and a generated client sends credentials;
- the problems every route of a kind can answer, as application/problem+json with the
  `Problem` schema: 401/403 (protected), 422 (parameters or body), 400/413/415 (JSON body),
  429 (partner paths), 503 (database); a route declares its own (404, 409...) with
  `responses=problems.responses(...)`;
- a description on every operation (with the permission it needs) and every schema, and an
  example on every operation's success response made from its schema (tests check each
  example against its schema).
"""
from __future__ import annotations

import copy
import json
import re
from typing import Any

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

from api import problems
from api.guard import body_kind, permissions_of
from tracegraph.security.middleware import PARTNER_PATHS

SECURITY_SCHEMES = {
    "BearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT or tgk_ API key",
                   "description": "`Authorization: Bearer <token>`: an API key (`tgk_...`, from `tracegraph keys "
                                  "create` or POST /v1/users/{name}/keys) or an OAuth2 JWT"},
    "ApiKeyHeader": {"type": "apiKey", "in": "header", "name": "X-API-Key",
                     "description": "`X-API-Key: tgk_...`: an API key in its own header"},
}
NO_DB = {"/healthz", "/openapi.json", "/docs", "/redoc"}


def install(app: FastAPI) -> None:
    generate = app.openapi
    done: list[Any] = [None]

    def openapi() -> dict:
        spec = generate()
        if done[0] is not spec:  # FastAPI regenerates when routes change
            complete(app, spec)
            done[0] = spec
        return spec
    app.openapi = openapi


def _routes(app: FastAPI) -> dict[tuple[str, str], Any]:
    out = {}
    for rc in iter_route_contexts(app.routes):
        for method in rc.methods or ():
            out[(method.lower(), rc.path_format)] = rc
    return out


def _unique_names(spec: dict) -> None:
    """Generated clients name a model by its title: `tracegraph__rules__models__Finding` becomes
    RulesFinding, and `Product-Input` keeps a title of its own (ProductInput)."""
    schemas = spec.get("components", {}).get("schemas", {})
    renames = {key: key.split("__")[1].title().replace("_", "") + key.split("__")[-1]
               for key in schemas if "__" in key}
    if renames:
        text = json.dumps(spec)
        for old, new in renames.items():
            text = text.replace(f'"#/components/schemas/{old}"', f'"#/components/schemas/{new}"')
        renamed = json.loads(text)
        renamed["components"]["schemas"] = {renames.get(k, k): v for k, v in renamed["components"]["schemas"].items()}
        spec.clear()
        spec.update(renamed)
    for key, schema in spec.get("components", {}).get("schemas", {}).items():
        schema["title"] = re.sub(r"[^A-Za-z0-9]", "", key)


def complete(app: FastAPI, spec: dict) -> None:
    _unique_names(spec)
    components = spec.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas["Problem"] = copy.deepcopy(problems.PROBLEM_SCHEMA)
    components["securitySchemes"] = SECURITY_SCHEMES
    _hoist(spec)
    routes = _routes(app)
    for path, operations in spec.get("paths", {}).items():
        for method, op in operations.items():
            route = routes.get((method, path))
            _operation(path, method, op, route)
    for name in ("HTTPValidationError", "ValidationError"):
        if not _referenced(spec, name):
            schemas.pop(name, None)
    _describe_schemas(spec)
    for operations in spec.get("paths", {}).values():
        for op in operations.values():
            for response in op.get("responses", {}).values():
                for media in (response.get("content") or {}).values():
                    if "schema" in media and "example" not in media and "examples" not in media:
                        found = example(media["schema"], schemas)
                        if found is not None:
                            media["example"] = found


def _operation(path: str, method: str, op: dict, route) -> None:
    permissions = permissions_of(route) if route is not None else []
    body = body_kind(route) if route is not None else None
    statuses: set[int] = set()
    if permissions:
        op["security"] = [{"BearerAuth": []}, {"ApiKeyHeader": []}]
        statuses |= {401, 403}
    if op.get("parameters") or body or "requestBody" in op:
        statuses |= {400, 422}  # 400: a number beyond what the database holds
    if "{" in path:
        statuses.add(404)
    if body == "json" or (method in ("post", "put", "patch") and "requestBody" in op):
        statuses |= {400, 413, 415}
    if path.startswith(PARTNER_PATHS):
        statuses.add(429)
    if path not in NO_DB:
        statuses.add(503)
    responses = op.setdefault("responses", {})
    for status, declared in problems.responses(*sorted(statuses)).items():
        key = str(status)
        if key == "422" or key not in responses:
            responses[key] = declared
    for key, response in responses.items():  # FastAPI's own 422 (HTTPValidationError): problem+json
        if key.startswith(("4", "5")) and "HTTPValidationError" in str(response.get("content")):
            response["content"] = problems.responses(int(key))[int(key)]["content"]
    if not op.get("description"):
        op["description"] = op.get("summary") or op.get("operationId", "")
    if permissions:
        needs = ", ".join(f"`{p}`" for p in permissions)
        if "Needs the permission" not in op["description"]:
            op["description"] += f"\n\nNeeds the permission {needs} (docs/security.md lists the roles)."
    if path in NO_DB or not permissions:
        op.setdefault("security", [])


def _hoist(spec: dict) -> None:
    """An inline object schema with a title (e.g. EPCISDocument in openapi_extra) becomes a
    component, so every media type refers to one model."""
    schemas = spec["components"]["schemas"]
    for operations in spec.get("paths", {}).values():
        for op in operations.values():
            places = [op.get("requestBody") or {}] + list(op.get("responses", {}).values())
            for place in places:
                for media in (place.get("content") or {}).values():
                    schema = media.get("schema") or {}
                    title = schema.get("title")
                    if title and "$ref" not in schema and schema.get("type") == "object":
                        schemas.setdefault(title, schema)
                        media["schema"] = {"$ref": f"#/components/schemas/{title}"}


def _referenced(spec: dict, name: str) -> bool:
    target = f"#/components/schemas/{name}"

    def walk(node) -> bool:
        if isinstance(node, dict):
            return node.get("$ref") == target or any(walk(v) for k, v in node.items() if k != name)
        if isinstance(node, list):
            return any(walk(v) for v in node)
        return False
    return walk(spec.get("paths", {})) or any(walk(s) for n, s in spec["components"]["schemas"].items()
                                                  if n != name)


def _describe_schemas(spec: dict) -> None:
    """Schemas without a docstring say where they are used."""
    uses: dict[str, list[str]] = {}
    for path, operations in spec.get("paths", {}).items():
        for method, op in operations.items():
            label = f"{method.upper()} {path}"
            for name in _refs(op.get("requestBody")):
                uses.setdefault(name, []).append(f"the request body of {label}")
            for status, response in op.get("responses", {}).items():
                if status.startswith("2"):
                    for name in _refs(response):
                        uses.setdefault(name, []).append(f"the response of {label}")
    schemas = spec["components"]["schemas"]
    for name, schema in schemas.items():
        for other, parent in schemas.items():
            if other != name and name in _refs(parent, direct=True):
                uses.setdefault(name, []).append(f"part of {parent.get('title', other)}")
        if not schema.get("description"):
            where = uses.get(name)
            title = schema.get("title", name)
            if "enum" in schema:
                schema["description"] = f"{title}: one of {', '.join(map(str, schema['enum']))}"
            elif where:
                schema["description"] = f"{title}: {'; '.join(sorted(set(where))[:3])}"
            else:
                schema["description"] = title
        if "example" not in schema and "examples" not in schema:
            schema["example"] = example(schema, schemas)


def _refs(node, direct: bool = False) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                found.add(ref.rsplit("/", 1)[1])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def example(schema: dict, schemas: dict, depth: int = 0) -> Any:
    """A value that satisfies `schema` (tests/test_openapi.py validates each one)."""
    if depth > 8:
        return None
    if "$ref" in schema:
        target = schemas[schema["$ref"].rsplit("/", 1)[1]]
        return target.get("example", example(target, schemas, depth + 1))
    for key in ("example", "default", "const"):
        if key in schema and schema[key] is not None:
            return schema[key]
    if schema.get("examples"):
        return schema["examples"][0]
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return example(options[0], schemas, depth + 1)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        required = set(schema.get("required", []))
        return {name: example(prop, schemas, depth + 1) for name, prop in schema.get("properties", {}).items()
                if name in required or depth == 0}
    if kind == "array":
        item = example(schema.get("items", {}), schemas, depth + 1)
        return [item] * max(1, schema.get("minItems", 1)) if item is not None else []
    if kind == "integer":
        return max(schema.get("minimum", 1), 1) if schema.get("maximum", 1) >= 1 else schema.get("minimum", 0)
    if kind == "number":
        return max(schema.get("minimum", 1.5), 0)
    if kind == "boolean":
        return True
    if kind == "string":
        fmt = schema.get("format")
        if fmt == "date-time":
            return "2025-01-01T00:00:00Z"
        if fmt == "date":
            return "2025-01-01"
        if fmt == "binary":
            return "..."
        if schema.get("pattern"):
            return next((c for c in _CANDIDATES if re.search(schema["pattern"], c)), None)
        text = "text"
        if schema.get("minLength", 0) > len(text):
            text = text * schema["minLength"]
        return text[:schema.get("maxLength", len(text))] if schema.get("maxLength") else text
    return None


_CANDIDATES = ["00614141812345", "urn:epc:id:sgtin:0614141.812345.1", "urn:epc:id:pgln:0614141.00001",
               "urn:epc:id:sgln:0614141.00001.0", "alice", "0123456789ab", "https://example.com/hook",
               "0614141", "text"]
