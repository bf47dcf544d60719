"""Fixtures: a real Neo4j 5.26 (never a mock), a clean database per test, the API client.

Where the database comes from, in order: testcontainers (when a Docker engine
answers), else the project's local launcher (Java + Maven), else TRACEGRAPH_NEO4J_URI.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from graph import launcher, schema
from graph.db import Database
from tracegraph.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
TEST_PORT = int(os.environ.get("TRACEGRAPH_TEST_NEO4J_PORT", "7697"))


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
        launcher.start(settings)
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
    return database


@pytest.fixture
def client(db):
    from fastapi.testclient import TestClient
    from api.main import create_app
    with TestClient(create_app(db.settings)) as test_client:
        yield test_client
