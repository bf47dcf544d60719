"""Forward (recall) and backward (genealogy) traces over the graph.

The closure is the shared genealogy walk (tracegraph/genealogy/closure.py). Where the
serials went is counted in Neo4j for the whole set (trace/places.cypher), and their state
now is the one the writer stores on each item (tracegraph/recalls/state.py, the rules of
trace/observations.cypher). A big trace comes in pages of serials (`limit`, `after`).
"""
from __future__ import annotations

from bisect import bisect_right

from core.errors import NotFound
from graph.db import Database, run
from tracegraph.genealogy.closure import Closure, walk
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


def closure(db: Database, epc: str, direction: str) -> tuple[str, Closure]:
    """(kind of the root: item, container or lot; the walk from it). A container is
    traced from every item ever packed in it."""
    def work(tx):
        rows = run(tx, "recall/start_nodes", epcs=[epc])
        if not rows:
            raise NotFound(f"{epc} is not known to tracegraph", field="id")
        kind = rows[0]["kind"]
        starts = run(tx, "trace/contents", epc=epc) if kind == "container" else \
            [dict(rows[0], lot=kind == "lot")]
        return kind, walk(tx, starts, direction, full=False)
    return db.read_tx(work)


def trace_page(db: Database, epc: str, direction: str, limit: int | None = None,
               after: str | None = None) -> tuple[TraceResult, str | None]:
    """One page: the serials after `after` (epc order), at most `limit`, with their
    containers, sites, read points and state; `lots` is the whole trace's on every page.
    Returns the answer and the cursor of the next page (None on the last). The pages'
    serials concatenated, and their other lists united, are the unpaged answer."""
    kind, found = closure(db, epc, direction)
    reached = [n for n in found.nodes.values() if n.epc != epc]
    serials = sorted({n.epc for n in reached if n.item})
    lots = {n.epc for n in reached if n.lot} | {n.of_lot for n in reached if n.item and n.of_lot}
    rest = serials if after is None else serials[_after(serials, after):]
    page = rest if limit is None else rest[:limit]
    cursor = page[-1] if limit is not None and len(rest) > limit else None
    where = places(db, page + ([epc] if kind == "item" and after is None else []))
    now = state.stored(db.read_columns, page)
    return TraceResult(
        root=epc,
        direction=direction,
        serials=page,
        lots=sorted(lots),
        containers=sorted(where["containers"]),
        sites=sorted(where["sites"]),
        read_points=sorted(where["read_points"]),
        current={s: Current(site=now[s]["site"], status=now[s]["status"]) for s in page},
    ), cursor


def trace(db: Database, epc: str, direction: str) -> TraceResult:
    """The whole trace in one answer (CLI, evidence snapshots)."""
    return trace_page(db, epc, direction)[0]


def _after(serials: list[str], after: str) -> int:
    return bisect_right(serials, after)
