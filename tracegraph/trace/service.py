"""Forward (recall) and backward (genealogy) traces over the graph.

One statement per page (trace/fast_forward, fast_backward; paged_* past a trace's first page):
the shared genealogy closure (cypher/genealogy/closure_*, as tracegraph/genealogy/closure.py
walks it), and for the page's
serials the state and places the writer stores on each item (tracegraph/recalls/state.py:
the rules of trace/observations.cypher and trace/places.cypher, item by item). A big trace
comes in pages of serials (`limit`, `after`).
"""
from __future__ import annotations

from dataclasses import dataclass

import orjson

from core.errors import NotFound
from graph.db import Database
from tracegraph.recalls import state
from tracegraph.trace.models import Current, TraceResult

CHUNK = 2000  # items per round trip: bounded memory per query
PLACES_CHUNK = 10_000  # places count a whole chunk at once: bigger chunks share more holders
WHOLE = 2**62  # the page size of an unpaged trace


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


@dataclass
class Page:
    """One page of a trace as read: `result()` is the model (CLI, evidence), `json()` the same
    answer serialized straight from the lists (a 100k-serial page would spend longer building
    a model per serial than the query took)."""
    root: str
    direction: str
    serials: list[str]
    lots: list[str]
    containers: list[str]
    sites: list[str]
    read_points: list[str]
    now: dict[str, dict]  # serial -> {"site": current site or None, "status": ...}, in no order
    cursor: str | None  # the last serial, when more follow

    def result(self, next_link: str | None = None) -> TraceResult:
        return TraceResult(root=self.root, direction=self.direction, serials=self.serials, lots=self.lots,
                           containers=self.containers, sites=self.sites, read_points=self.read_points,
                           current={s: Current(**self.now[s]) for s in self.serials},
                           next=next_link)

    def json(self, next_link: str | None = None) -> bytes:
        """TraceResult's JSON (same keys, same order: `current` in serial order, as orjson sorts
        it: rebuilding a 100k-entry dict in order cost more than the rest of the page)."""
        head = orjson.dumps({
            "root": self.root, "direction": self.direction, "serials": self.serials, "lots": self.lots,
            "containers": self.containers, "sites": self.sites, "read_points": self.read_points})
        return b"".join((head[:-1], b',"current":', orjson.dumps(self.now, option=orjson.OPT_SORT_KEYS),
                         b',"next":', orjson.dumps(next_link), b"}"))


def page(db: Database, epc: str, direction: str, limit: int | None = None, after: str | None = None) -> Page:
    """One page: the serials after `after` (epc order), at most `limit`, with their
    containers, sites, read points and state; `lots` is the whole trace's on every page.
    The pages' serials concatenated, and their other lists united, are the unpaged answer.

    One auto-commit read (trace/fast_forward, fast_backward: the shared closure, the page,
    each item's stored state and places united) when the trace is one page; a bigger one is
    read by page (trace/paged_forward, paged_backward, which sort the closure). Items stored
    before places were kept are counted from their events (trace/places, recall/state)."""
    params = {"epc": epc, "limit": WHOLE if limit is None else limit, "after": after, "version": state.VERSION}
    r = None if after else db.read_columns(f"trace/fast_{direction}", **params)
    if r is None or not r["whole"]:
        r = db.read_columns(f"trace/paged_{direction}", **params)
    if not r["known"]:
        raise NotFound(f"{epc} is not known to tracegraph", field="id")
    now: dict[str, dict | None] = {}
    lots = set(r["lots"])
    for key, epcs in r["groups"]:
        site, status, lot, _, _ = state.unkey(key)
        shared = {"site": site, "status": status}  # one dict for the group: the answer only reads it
        now.update(dict.fromkeys(epcs, shared))
        if r["whole"]:  # a page of a bigger trace has the whole trace's lots already
            lots.add(lot)
    now.update(dict.fromkeys(s for s in r["missing"] if s != epc))  # (the root is not a serial)
    stored = state.unwhere(r["where"])
    found = {"containers": stored["containers"], "sites": stored["places"] | set(r["bare_sites"]),
             "read_points": stored["read_points"]}
    if r["missing"]:
        for key, more in places(db, r["missing"]).items():
            found[key] |= more
        computed = state.stored(db.read_columns, [s for s in r["missing"] if s in now])
        now.update((s, {"site": x["site"], "status": x["status"]}) for s, x in computed.items())
    serials = sorted(now)
    return Page(epc, direction, serials, sorted(lots - {None, ""}), sorted(found["containers"]),
                sorted(found["sites"]), sorted(found["read_points"]), now, serials[-1] if r["more"] else None)


def trace_page(db: Database, epc: str, direction: str, limit: int | None = None,
               after: str | None = None) -> tuple[TraceResult, str | None]:
    """`page` as the model, and the cursor of the next page (None on the last)."""
    found = page(db, epc, direction, limit, after)
    return found.result(), found.cursor


def trace(db: Database, epc: str, direction: str) -> TraceResult:
    """The whole trace in one answer (CLI, evidence snapshots)."""
    return trace_page(db, epc, direction)[0]

