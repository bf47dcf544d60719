"""Helpers shared by the investigation and CAPA tests (no tests here)."""
from __future__ import annotations

from fastapi.testclient import TestClient

from tests import partners
from tests.conftest import issue_key

PASSWORD = "correct horse battery staple"


def app_client(client: TestClient, db, tmp_path, **settings) -> TestClient:
    """The `bare_client` fixture's API over the partners scenario, evidence under tmp_path, as an admin
    with a password; `settings` change the app's for this test (the fixture restores them)."""
    update = {"esign_required": False, "evidence_dir": tmp_path / "evidence", "evidence_max_bytes": 4096}
    update.update(settings)
    app_db = client.app.state.db  # the routes read their settings from it on every request
    app_db.settings = app_db.settings.model_copy(update=update)
    client.headers["Authorization"] = f"Bearer {issue_key(db, 'inv-admin', ['admin'], password=PASSWORD)}"
    partners.load(db)
    return client


def as_user(client: TestClient, db, name: str, role: str) -> TestClient:
    other = TestClient(client.app)
    other.headers["Authorization"] = f"Bearer {issue_key(db, name, [role], password=PASSWORD)}"
    return other


def counts(db) -> dict:
    """What investigation and CAPA writes leave behind: nodes and audit records."""
    return db.read("test/investigation_counts")[0]


def stored_files(tmp_path) -> list[str]:
    root = tmp_path / "evidence"
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []
