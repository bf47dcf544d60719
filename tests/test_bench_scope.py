"""`make bench`: trace, recall scope and genealogy through the API against the relational
peer (../shared/peers/pg_peer.py), side by side (prints the table). Scale with
TRACEGRAPH_BENCH_SERIALS (default 100,000 finished serials); shape with
TRACEGRAPH_BENCH_SHAPE (default deep: genealogy 6 levels, 3 packing levels)."""
import os

import pytest

from tracegraph.bench import scope


@pytest.mark.bench
def test_bench_scope_same_answers_as_the_peer(database):
    serials = int(os.environ.get("TRACEGRAPH_BENCH_SERIALS", "100000"))
    repeats = int(os.environ.get("TRACEGRAPH_BENCH_REPEATS", "5"))
    rows = scope.run(database, serials, repeats=repeats, shape=os.environ.get("TRACEGRAPH_BENCH_SHAPE", "deep"))
    assert all(r["same"] for r in rows), [(r["lot"], r["checks"]) for r in rows if not r["same"]]


def test_the_bench_calls_the_api_as_its_principal_with_the_routes_permission_checks(db):
    from fastapi.testclient import TestClient

    from tracegraph.security.models import Principal
    unknown = "/v1/genealogy/urn%3Aepc%3Aid%3Asgtin%3A0614141.812345.404"
    admin = scope.api_app(db.settings, Principal(id="bench", roles=frozenset({"admin"})))
    nobody = scope.api_app(db.settings, Principal(id="bench", roles=frozenset()))
    with TestClient(admin) as as_admin, TestClient(nobody) as as_nobody:
        # past authentication and the permission check (no dependency override): the route's 404
        assert not admin.dependency_overrides
        assert as_admin.get(unknown).status_code == 404
        assert as_nobody.get(unknown).status_code == 403
