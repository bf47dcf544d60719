"""`make bench`: trace, recall scope and genealogy through the API against the relational
peer (../shared/peers/pg_peer.py), side by side (prints the table). Scale with
TRACEGRAPH_BENCH_SERIALS (default 100,000 finished serials); shape with
TRACEGRAPH_BENCH_SHAPE (default deep: genealogy 6 levels, 3 packing levels)."""
import os

import httpx
import pytest

from tracegraph.bench import scope, verify


@pytest.mark.bench
def test_bench_scope_same_answers_as_the_peer(database):
    serials = int(os.environ.get("TRACEGRAPH_BENCH_SERIALS", "100000"))
    repeats = int(os.environ.get("TRACEGRAPH_BENCH_REPEATS", "5"))
    rows = scope.run(database, serials, repeats=repeats, shape=os.environ.get("TRACEGRAPH_BENCH_SHAPE", "deep"))
    assert all(r["same"] for r in rows), [(r["lot"], r["checks"]) for r in rows if not r["same"]]


def test_the_bench_calls_the_served_api_with_an_investigators_key(db):
    """The bench times the API as its users call it: a uvicorn server over HTTP, with an API key
    that passes authentication and the routes' permission checks (a 404 for an unknown serial)."""
    unknown = "/v1/genealogy/urn%3Aepc%3Aid%3Asgtin%3A0614141.812345.404"
    key = verify.bench_key(db)
    with verify.serving("api.main:app", verify.server_env(db)) as (_, base), httpx.Client(base_url=base) as client:
        assert (client.get(unknown, headers={"Authorization": f"Bearer {key}"}).status_code,
                client.get(unknown).status_code) == (404, 401)
