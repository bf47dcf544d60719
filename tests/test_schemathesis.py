"""Property-based API fuzzing from the OpenAPI schema, as an admin: zero 5xx.
Bounded: TRACEGRAPH_SCHEMATHESIS_EXAMPLES examples per operation (default 3)."""
import os

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from api.main import create_app
from graph import schema as graph_schema
from tests import partners
from tests.conftest import issue_key

EXAMPLES = int(os.environ.get("TRACEGRAPH_SCHEMATHESIS_EXAMPLES", "3"))


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


@pytest.fixture(scope="module")
def admin(database):
    graph_schema.reset(database)
    partners.load(database)  # some data, so lookups can hit something
    with TestClient(create_app(database.settings)) as started:
        app.target = started.app
        yield {"Authorization": f"Bearer {issue_key(database, 'fuzz-admin', ['admin'])}"}


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case, admin):
    response = case.call(headers=admin)
    logging_in = (case.method, case.path) == ("POST", "/v1/session")  # 401 is its answer to wrong credentials
    assert logging_in or response.status_code != 401, "the fuzzer must be authenticated"
    case.validate_response(response, checks=[not_a_server_error])


def test_the_fuzzer_reaches_the_test_database(admin, database):
    assert app.target.state.db.settings.neo4j_uri == database.settings.neo4j_uri
