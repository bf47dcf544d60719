"""The Guard's route index (api/guard.py RouteIndex) finds what a scan of every route in order finds."""
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.routing import Match

from api.guard import Guard
from api.main import create_app

APP = create_app()
GUARD = Guard(None, APP, per_minute=60, burst=10)
PATHS = [rc.path for rc, _, _ in GUARD.routes() if isinstance(getattr(rc, "path", None), str)]
METHODS = st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE"])
TEXT = st.text(alphabet="abz09:./%-_", min_size=0, max_size=12)


def scan(scope) -> tuple:
    """The oracle: the first route, in order, that matches fully."""
    for rc, permissions, body in GUARD.routes():
        if rc.matches(scope)[0] == Match.FULL:
            return permissions, body
    return [], None


def scope_of(method: str, path: str) -> dict:
    return {"type": "http", "method": method, "path": path, "root_path": "", "headers": [], "query_string": b""}


@st.composite
def route_paths(draw) -> str:
    """A route's path with its parameters filled in (sometimes with slashes), or a variation of it."""
    template = draw(st.sampled_from(PATHS))
    path = re.sub(r"\{[^}]*\}", lambda _: draw(TEXT), template)
    return draw(st.sampled_from([path, path + "/", path + draw(TEXT), path[: draw(st.integers(0, len(path)))]]))


@settings(max_examples=400, deadline=None)
@given(METHODS, route_paths())
def test_the_index_matches_as_a_scan_of_every_route(method, path):
    scope = scope_of(method, path)
    assert GUARD.match(scope) == scan(scope)


@settings(max_examples=200, deadline=None)
@given(METHODS, st.text(alphabet="/abv1serilsz:-", max_size=30).map(lambda s: "/" + s))
def test_the_index_matches_as_a_scan_for_any_path(method, path):
    scope = scope_of(method, path)
    assert GUARD.match(scope) == scan(scope)


def test_a_serial_path_tries_only_its_own_routes():
    GUARD.match(scope_of("GET", "/healthz"))  # builds the index
    candidates = GUARD._index.candidates("/v1/serials/urn:epc:id:sgtin:0614141.812345.1")
    assert {rc.path for rc, _, _ in candidates} <= {"/v1/serials/{id:path}", "/v1/serials/{id:path}/timeline",
                                                     *(rc.path for rc, _, _ in GUARD._index._anywhere)}
