"""Property-based API fuzzing from the OpenAPI schema, as an admin, with EVERY schemathesis
check (server errors, status codes, content types, response schemas, headers, positive and
negative data, undeclared methods, auth...): zero failures.
Bounded: TRACEGRAPH_SCHEMATHESIS_EXAMPLES examples per operation in the fuzzing phase
(default 10), plus the examples and coverage phases."""
import os

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.config import OperationConfig, OperationsConfig

from api.main import create_app
from graph import schema as graph_schema
from tests import partners
from tests.conftest import issue_key

EXAMPLES = int(os.environ.get("TRACEGRAPH_SCHEMATHESIS_EXAMPLES", "10"))


class LateApp:
    """What schemathesis calls. It runs an ASGI app's lifespan itself, and ours would open the
    database named by the environment (maybe someone else's), so lifespan messages are answered
    here and requests go to the real app, started on the test database by the fixture."""

    def __init__(self):
        self.target = create_app()  # only serves /openapi.json until the fixture swaps in the real one

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                await send({"type": message["type"] + ".complete"})
                if message["type"] == "lifespan.shutdown":
                    return
        await self.target(scope, receive, send)


app = LateApp()
schema = schemathesis.openapi.from_asgi("/openapi.json", app)
# A JSON Schema cannot say that a GTIN's check digit is right, that a company prefix is known, or
# that a start point's id fits its kind: such requests are schema-valid and answered 422 with the
# field named (a declared problem+json). Every other default expectation of the check stands.
ACCEPTED = [*schema.config.checks.positive_data_acceptance.expected_statuses, "422"]
schema.config.checks.positive_data_acceptance.expected_statuses = ACCEPTED
# The EPCIS 2.0 REST binding answers the same semantic refusals with 400 (ValidationException,
# QueryParameterException: e.g. a nextPageToken this service did not issue).
schema.config.operations = OperationsConfig(operations=[OperationConfig.from_dict({
    "include-path-regex": "^/epcis/",
    "checks": {"positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "400"]}}}),
    # a full rules sweep takes longer than the default 10 s on a busy 2-core machine
    OperationConfig.from_dict({"include-path-regex": "^/v1/rules/run$", "request-timeout": 300})])


CALLS: dict[str, int] = {}  # requests per operation, printed at the end of the module (pytest -s)


@pytest.fixture(scope="module")
def admin(database):
    graph_schema.reset(database)
    partners.load(database)  # some data, so lookups can hit something
    with TestClient(create_app(database.settings)) as started:
        app.target = started.app
        yield {"Authorization": f"Bearer {issue_key(database, 'fuzz-admin', ['admin'])}"}
    print(f"\nschemathesis: {len(CALLS)} operations, {sum(CALLS.values())} requests, every check")


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi(case, admin):
    response = case.call(headers=admin)
    logging_in = (case.method, case.path) == ("POST", "/v1/session")  # 401 is its answer to wrong credentials
    assert logging_in or response.status_code != 401, "the fuzzer must be authenticated"
    CALLS[case.operation.label] = CALLS.get(case.operation.label, 0) + 1
    case.validate_response(response, headers=admin)  # all checks


def test_the_fuzzer_reaches_the_test_database(admin, database):
    assert app.target.state.db.settings.neo4j_uri == database.settings.neo4j_uri
