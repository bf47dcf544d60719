"""Forward (recall) and backward (genealogy) traces over the graph.

One statement per page (trace/fast_forward, fast_backward): the shared genealogy closure
(cypher/genealogy/closure_*, as tracegraph/genealogy/closure.py walks it), and for the page's
serials the state and places the writer stores on each item (tracegraph/recalls/state.py:
the rules of trace/observations.cypher and trace/places.cypher, item by item). A big trace
comes in pages of serials (`limit`, `after`).
"""
from __future__ import annotations

from core.errors import NotFound
from graph.db import Database
from tracegraph.recalls import state
from tracegraph.trace.models import Current, TraceResult

CHUNK = 2000  # items per round trip: bounded memory per query
PLACES_CHUNK = 10_000  # places count a whole chunk at once: bigger chunks share more holders


def observations(db: Database, epcs: list[str], with_events: bool = False, as_of=None,
                 with_shipments: bool = False) -> dict[str, dict]:
    """Per item: `sites`, current `site` and `status`, and (if asked) its `events` and
    `shipments`; with `as_of`, as the records stood then."""
    out: dict[str, dict] = {}
    for start in range(0, len(epcs), CHUNK):
        for row in db.read("trace/observations", epcs=epcs[start:start + CHUNK], with_events=with_events,
                           with_shipments=with_shipments, as_of=as_of):
            out[row["epc"]] = row
    empty = {"sites": [], "site": None, "status": "unknown", "events": [], "shipments": [], "direct": False}
    return {epc: out.get(epc, dict(empty, epc=epc)) for epc in epcs}


def places(db: Database, epcs: list[str]) -> dict[str, set[str]]:
    """Containers that held these items, and the sites and read points of the events that
    saw them (trace/places.cypher: counted in Neo4j for the whole set)."""
    out: dict[str, set[str]] = {"containers": set(), "sites": set(), "read_points": set()}
    for start in range(0, len(epcs), PLACES_CHUNK):
        row = db.read("trace/places", epcs=epcs[start:start + PLACES_CHUNK])[0]
        for key, found in out.items():
            found.update(row[key])
    return out


def trace_page(db: Database, epc: str, direction: str, limit: int | None = None,
               after: str | None = None) -> tuple[TraceResult, str | None]:
    """One page: the serials after `after` (epc order), at most `limit`, with their
    containers, sites, read points and state; `lots` is the whole trace's on every page.
    Returns the answer and the cursor of the next page (None on the last). The pages'
    serials concatenated, and their other lists united, are the unpaged answer.

    One auto-commit read (trace/fast_forward, fast_backward: the shared closure, the page,
    each item's stored state and places united); items stored before places were kept
    are counted from their events (trace/places, recall/state) in further reads."""
    r = db.read_columns(f"trace/fast_{direction}", epc=epc, limit=limit, after=after, version=state.VERSION)
    if not r["known"]:
        raise NotFound(f"{epc} is not known to tracegraph", field="id")
    page = r["serials"]
    now = {s: {"site": site or None, "status": status} for s, site, status in zip(page, r["sites_now"],
                                                                                   r["statuses"])}
    found = {"containers": set(r["containers"]), "sites": set(r["sites"]), "read_points": set(r["read_points"])}
    if r["missing"]:
        for key, more in places(db, r["missing"]).items():
            found[key] |= more
        unstored = [s for s in r["missing"] if s in now]
        now.update(state.stored(db.read_columns, unstored))
    return TraceResult(
        root=epc,
        direction=direction,
        serials=page,
        lots=sorted(set(r["lots"])),
        containers=sorted(found["containers"]),
        sites=sorted(found["sites"]),
        read_points=sorted(found["read_points"]),
        current={s: Current(site=now[s]["site"], status=now[s]["status"]) for s in page},
    ), page[-1] if r["more"] else None


def trace(db: Database, epc: str, direction: str) -> TraceResult:
    """The whole trace in one answer (CLI, evidence snapshots)."""
    return trace_page(db, epc, direction)[0]

