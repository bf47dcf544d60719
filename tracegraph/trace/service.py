"""Forward (recall) and backward (genealogy) traces over the graph.

Where an item went and its state now are computed by cypher/trace/observations.cypher
(the rules are written down there), one row per item.
"""
from __future__ import annotations

from core.errors import NotFound
from graph.db import Database
from tracegraph.trace.models import Current, TraceResult

CHUNK = 2000  # items per round trip: bounded memory per query


def root_kind(db: Database, epc: str) -> str:
    rows = db.read("trace/root", epc=epc)
    if not rows:
        raise NotFound(f"{epc} is not known to tracegraph", field="id")
    return rows[0]["kind"]


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
    for start in range(0, len(epcs), CHUNK):
        row = db.read("trace/places", epcs=epcs[start:start + CHUNK])[0]
        for key, found in out.items():
            found.update(row[key])
    return out


def trace(db: Database, epc: str, direction: str) -> TraceResult:
    kind = root_kind(db, epc)
    starts = db.read("trace/contents", epc=epc)[0]["items"] if kind == "container" else [epc]
    closure = [r for r in (db.read(f"trace/{direction}", starts=starts) if starts else []) if r["epc"] != epc]
    serials = {r["epc"] for r in closure if r["item"]}
    lots = {r["epc"] for r in closure if r["lot"]} | {r["of_lot"] for r in closure if r["item"] and r["of_lot"]}
    scope = sorted(serials | ({epc} if kind == "item" else set()))
    seen = observations(db, sorted(serials))
    where = places(db, scope)
    return TraceResult(
        root=epc,
        direction=direction,
        serials=sorted(serials),
        lots=sorted(lots),
        containers=sorted(where["containers"]),
        sites=sorted(where["sites"]),
        read_points=sorted(where["read_points"]),
        current={s: Current(site=seen[s]["site"], status=seen[s]["status"]) for s in sorted(serials)},
    )
