"""The items' stored state (tracegraph/recalls/state.py `store`: recall/where, recall/item_places,
ingest/item_state), computed from the replayed events and packing and imported as properties of
the items, instead of Cypher passes over the imported store.

The same rules: an item's events are those naming it and those naming an object it was packed
in (IN, 1 to GENEALOGY_MAX_DEPTH levels, no packing twice on one path) while every packing of
the path held (inclusive ends); error-declared events never count. They are read in the
streaming store's order (time, then load order: its `recorded`, then `seq`).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tracegraph.recalls import state as item_state

DEPTH = 4  # recall/where and recall/item_places: (()-[r:IN]->()){1,4}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)
WINDOWS = 4096  # container windows item_row keeps (it starts again when full)


@dataclass(slots=True)
class Seen:
    """An event as the state reads it."""
    time: datetime
    order: tuple[int, int]  # (document in load order, seq in it)
    type: str
    action: str | None
    disposition: str | None
    biz_step: str | None
    biz_location: str | None
    read_point: str | None
    destinations: list[str]


@dataclass(slots=True)
class Held:
    """One packing as the paths read it: child IN parent from start to end (None: still packed)."""
    parent: str
    start: datetime
    end: datetime | None


def holders(item: str, packed: dict[str, list[Held]]) -> set[tuple[str, datetime, datetime | None]]:
    """(object, from, until) for every path of packings up from `item` whose intervals overlap."""
    found: set[tuple[str, datetime, datetime | None]] = set()
    # a stack, not a nested recursive function: that one was a reference cycle per item, garbage
    # only the cyclic collector frees (a bulk load pauses it)
    stack: list[tuple[str, datetime | None, datetime | None, tuple[int, ...]]] = [(item, None, None, ())]
    while stack:
        node, lo, hi, used = stack.pop()
        for p in packed.get(node, ()):
            if id(p) in used:
                continue
            low = p.start if lo is None or p.start > lo else lo
            high = hi if p.end is None else (p.end if hi is None or p.end < hi else hi)
            found.add((p.parent, low, high))
            if len(used) + 1 < DEPTH:
                stack.append((p.parent, low, high, (*used, id(p))))
    return {(c, lo, hi) for c, lo, hi in found if hi is None or lo <= hi}


def item_row(item: str, lot: str | None, gtin: str | None, events: dict[str, Seen],
             touched: dict[str, list[tuple[str, str]]], packed: dict[str, list[Held]],
             containers: set[str], declared: set[str], windows: dict | None = None) -> dict:
    """The properties ingest/item_state stores on `item` (state_* and state_key), and `events`: the
    ids of the events that saw it (not declared erroneous), in the order the state reads them.
    `windows`: (container, from, until) -> the container's events then, kept from the items before
    (the items of one case, next to each other, share them: each read them all again)."""
    named: dict[str, list[bool]] = {}  # event -> [named by role 'epc', direct]
    for eid, role in touched.get(item, ()):
        if eid not in declared:
            flags = named.setdefault(eid, [False, False])
            flags[0] |= role == "epc"
            flags[1] = True
    held = holders(item, packed)
    for window in held:
        found = windows.get(window) if windows is not None else None
        if found is None:
            c, lo, hi = window
            found = [eid for eid, _ in touched.get(c, ())
                     if eid not in declared and lo <= (t := events[eid].time) and (hi is None or t <= hi)]
            if windows is not None:
                if len(windows) >= WINDOWS:
                    windows.clear()
                windows[window] = found
        for eid in found:
            named.setdefault(eid, [False, False])
    # (time, load order) is an event's own (no two tie), so the ids never decide; no key function per id
    ordered = [eid for _, _, eid in sorted([(events[eid].time, events[eid].order, eid) for eid in named])]
    site, status, ship_ms, ship_to = "", "unknown", [], []
    located, shipped, bare, read_points = set(), [], set(), set()
    for eid in ordered:
        e = events[eid]
        site = e.biz_location or e.read_point or site
        if e.type == "ObjectEvent" and e.action == "DELETE" and named[eid][0]:
            status = "decommissioned"
        elif e.disposition is not None:
            status = e.disposition
        if e.destinations:
            ship_ms.append((e.time - _EPOCH) // _MS)
            ship_to.append(" ".join(e.destinations))
        if e.biz_location is not None:
            located.add(e.biz_location)
        if e.biz_step == "shipping":
            shipped.extend(e.destinations)
        if e.read_point is not None:
            read_points.add(e.read_point)
            if e.biz_location is None:
                bare.add(e.read_point)
    where = item_state.where({"containers": sorted({c for c, _, _ in held if c in containers}),
                              "places": sorted(located | set(shipped)), "bare": sorted(bare),
                              "read_points": sorted(read_points)})
    return {"site": site or None, "status": status, "direct": any(d for _, d in named.values()),
            "ship_ms": ship_ms, "ship_to": ship_to, "where": where, "version": item_state.VERSION,
            "key": item_state.key(site, status, lot, gtin, ship_ms, ship_to),
            "events": ordered}  # not stored: the item's history, for the rules (tracegraph/rules/history.py)


def packed_in(packing: Iterable) -> dict[str, list[Held]]:
    """child -> its packings (objects with .child, .parent, .start, .end)."""
    out: dict[str, list[Held]] = {}
    for p in packing:
        out.setdefault(p.child, []).append(Held(p.parent, p.start, p.end))
    return out
