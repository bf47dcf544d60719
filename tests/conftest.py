"""Fixtures: a real Neo4j 5.26 (never a mock), a clean database per test, the API client.

Where the database comes from, in order: testcontainers (when a Docker engine
answers), else the project's local launcher (Java + Maven), else TRACEGRAPH_NEO4J_URI.
"""
from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from core.settings import Settings
from graph import launcher, schema
from graph.db import Database
from tracegraph.audit import service as audit

ROOT = Path(__file__).resolve().parents[1]

# The property tests check answers, not speed: on a busy 2-core CI box one example or one draw can
# take seconds, so Hypothesis's timing checks (deadline, too_slow) would fail correct code.
hypothesis_settings.register_profile("tracegraph", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("tracegraph")
# The one setting for the tests' own Neo4j port (README "Tests"); the busy-port error names it.
TEST_PORT_SETTING = "TRACEGRAPH_TEST_NEO4J_PORT"
# Under pytest-xdist (`make test TEST_WORKERS=2`) worker gwN has a Neo4j of its own on the port N above it.
WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
TEST_PORT = int(os.environ.get(TEST_PORT_SETTING, "7697")) + WORKER
# Audit checkpoints of the test database, apart from a developer's own (.tracegraph/audit-checkpoints).
# A worker always sets its own: it inherits the xdist controller's environment, where this
# module set the folder of port + 0, and two workers writing one folder break each other's chain.
if "PYTEST_XDIST_WORKER" in os.environ or "TRACEGRAPH_AUDIT_CHECKPOINT_DIR" not in os.environ:
    os.environ["TRACEGRAPH_AUDIT_CHECKPOINT_DIR"] = str(ROOT / ".tracegraph" / f"test-audit-checkpoints-{TEST_PORT}")
audit.configure(Settings(), make_key=False)  # as create_app and the CLI do at start-up


def shared_ids(items) -> list[str]:
    """Test ids that name more than one collected test."""
    return sorted(nodeid for nodeid, n in Counter(item.nodeid for item in items).items() if n > 1)


def pytest_collection_modifyitems(session, config, items):
    """Refuse tests that share an id: xdist schedules by id, so it ran one of them and said nothing
    of the rest (schemathesis under pytest 9.2: 1 of 123 operations), and --deselect, -k and
    --last-failed cannot tell them apart."""
    shared = shared_ids(items)
    if shared:
        raise pytest.UsageError(f"{len(shared)} test id(s) each name several tests (under xdist only one "
                                f"of them would run): {', '.join(shared[:3])}")


def _docker_available() -> bool:
    try:
        import docker
        docker.from_env(timeout=3).ping()
        return True
    except Exception:  # no engine, no socket, no permission: all mean "not here"
        return False


@pytest.fixture(scope="session")
def neo4j_settings():
    if _docker_available():
        from testcontainers.neo4j import Neo4jContainer
        with Neo4jContainer("neo4j:5.26-community", password="tracegraph-test") as container:
            yield Settings(neo4j_uri=container.get_connection_url(), neo4j_password="tracegraph-test")
        return
    if shutil.which("java") and shutil.which("mvn"):
        settings = Settings(neo4j_bolt_port=TEST_PORT, neo4j_home=ROOT / ".tracegraph" / f"test-neo4j-{TEST_PORT}",
                            neo4j_password="tracegraph-test", neo4j_heap="1g", neo4j_pagecache_mb=256)
        was_running = launcher.status(settings).running
        launcher.start(settings, port_setting=TEST_PORT_SETTING)
        yield settings
        if not was_running:
            launcher.stop(settings)
        return
    if "TRACEGRAPH_NEO4J_URI" in os.environ:
        yield Settings()
        return
    pytest.fail("no Neo4j for tests: no Docker engine, no java+mvn for the local launcher, "
                "and TRACEGRAPH_NEO4J_URI is not set")


@pytest.fixture(scope="session")
def database(neo4j_settings):
    db = Database(neo4j_settings)
    schema.migrate(db)
    yield db
    db.close()


@pytest.fixture
def db(database):
    """The database, emptied before the test (schema kept)."""
    schema.reset(database)
    audit.retire_checkpoints(keep=False)  # a deliberate reset, not a wiped trail
    return database


@pytest.fixture
def bulk_loaded(database, neo4j_settings, tmp_path):
    """`bulk_loaded(documents)`: the database emptied, then the EPCIS `documents` (dicts) loaded by
    the bulk loader; returns the database. The import replaces the store, schema included: the
    session's schema comes back after the test."""
    from tracegraph.bulk import service as bulk

    def load(documents: list[dict]) -> Database:
        schema.reset(database)
        audit.retire_checkpoints(keep=False)
        paths = [tmp_path / f"bulk-doc{n}.json" for n in range(len(documents))]
        for path, doc in zip(paths, documents, strict=True):
            path.write_text(json.dumps(doc))
        bulk.bulk_load(neo4j_settings, paths, echo=lambda line: None)
        database.reconnect()  # the store was replaced: the old store's bookmarks would stall reads
        return database
    yield load
    database.reconnect()
    schema.migrate(database)


@pytest.fixture
def cli(neo4j_settings, monkeypatch):
    """Runs `tracegraph ARGS...` against the test database."""
    from typer.testing import CliRunner

    from core.settings import get_settings
    from tracegraph.cli import app
    for key, value in {"TRACEGRAPH_NEO4J_URI": neo4j_settings.neo4j_uri,
                       "TRACEGRAPH_NEO4J_PASSWORD": neo4j_settings.neo4j_password}.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    yield lambda *args: CliRunner().invoke(app, list(args))
    get_settings.cache_clear()


def issue_key(db, name: str, roles: list[str], party: str | None = None, password: str | None = None) -> str:
    """Create a user with these roles and return a fresh API key for it."""
    from tracegraph.security import service
    from tracegraph.security.models import NewKey, NewUser
    service.create_user(db, NewUser(name=name, roles=roles, party=party, password=password), actor="test")
    return service.issue_key(db, name, NewKey(label="test"), actor="test").key


@pytest.fixture(scope="session")
def shared_app(database):
    """One API app for the session: an app's start-up (driver, schema check) and shutdown cost
    ~0.3 s, paid by ~450 tests. `bare_client` gives each test the state a new app starts with."""
    from fastapi.testclient import TestClient

    from api.main import create_app, stop_background
    # E-signatures off here until the hold and alert tests send them (tests/test_auth_esign.py
    # covers the signed paths with them on).
    with TestClient(create_app(_api_settings(database))) as shared:
        stop_background(shared.app)  # each test starts its own
        yield shared


def _api_settings(database):
    return database.settings.model_copy(update={"esign_required": False})


@pytest.fixture
def bare_client(db, shared_app):
    """The API with no credentials: the session's app (shared_app) with what its start-up makes
    made afresh (job worker, subscription dispatcher, rate limits, caches), as if the app had just
    started on this test's empty database."""
    from fastapi.testclient import TestClient

    from api.main import start_background, stop_background
    app = shared_app.app
    audit.configure(app.state.db.settings)  # other tests configure the audit trail their own way
    app.state.db.reconnect()  # a new driver and memo: a test may have replaced the store (tests/test_bulk.py)
    app.state.db.settings = _api_settings(db)  # a test may change them (tests/investigation_support.py)
    app.state.capture = None  # made on first use, failing jobs left running
    app.middleware_stack = None  # rebuilt on the next request: the Guard's rate limits start full
    app.dependency_overrides.clear()
    shared_app.headers = TestClient(app).headers  # a new client's
    shared_app.cookies.clear()
    start_background(app)
    yield shared_app
    stop_background(app)


@pytest.fixture
def client(bare_client, db):
    """The API, authenticated as an admin (API key in the Authorization header)."""
    bare_client.headers["Authorization"] = f"Bearer {issue_key(db, 'test-admin', ['admin'])}"
    return bare_client


@pytest.fixture
def client_as(client):
    """`client_as("auditor")` or `client_as("partner", party=PGLN)`: the same app as another principal.
    `client_as(None)` sends no credentials."""
    from fastapi.testclient import TestClient
    made = []

    def make(role: str | None, party: str | None = None, name: str | None = None) -> TestClient:
        other = TestClient(client.app)
        if role is not None:
            user = name or f"test-{role.replace('_', '-')}-{len(made)}"
            other.headers["Authorization"] = f"Bearer {issue_key(client.app.state.db, user, [role], party)}"
        made.append(other)
        return other
    return make


@pytest.fixture
def scenario_api(client):
    """The API client as a named admin ("tester"), with tests/scenario.py loaded."""
    from api.auth import current_principal
    from loaders.epcis.document import parse_document
    from tests import epcis, scenario
    from tracegraph.capture.writer import write_document
    from tracegraph.security.models import Principal
    client.app.dependency_overrides[current_principal] = lambda: Principal(id="tester", roles=frozenset({"admin"}))
    write_document(client.app.state.db, parse_document(epcis.document(scenario.events()), "scenario"))
    yield client
    client.app.dependency_overrides.clear()
