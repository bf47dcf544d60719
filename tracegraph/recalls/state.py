"""Where each serial is now: computed from its events and its containers' events
(`recall/where`), and kept on the item by the writer so a recall scope of a million
serials reads properties instead of walking every history again.

The writer refreshes the items a document can affect (`refresh`) in the document's
own transaction, so the stored state is never older than the data. As-of questions
and items stored before this existed are computed (`compute`).
"""
from __future__ import annotations

from collections.abc import Callable

from neo4j import ManagedTransaction

from graph.db import columns, run

Runner = Callable[..., dict]  # (query name, **params) -> the columns of its one record
CHUNK = 2000
EMPTY = {"site": None, "status": "unknown", "direct": False, "shipments": []}


def compute(runner: Runner, epcs: list[str], as_of) -> dict[str, dict]:
    """Per serial: current `site`, `status`, `direct` (named by an event) and `shipments`."""
    out: dict[str, dict] = {}
    for i in range(0, len(epcs), CHUNK):
        r = runner("recall/where", epcs=epcs[i:i + CHUNK], as_of=as_of)
        for epc, site, status, direct, shipments in zip(r["epcs"], r["sites"], r["statuses"], r["directs"],
                                                        r["shipments"]):
            out[epc] = {"site": site or None, "status": status, "direct": direct,
                        "shipments": [{"ms": ms, "destinations": dests} for ms, dests in shipments]}
    return {epc: out.get(epc, EMPTY) for epc in epcs}


def from_columns(site: str, status: str, direct: bool, ship_ms: list[int], ship_to: list[str]) -> dict:
    """A stored state as `compute` gives it."""
    return {"site": site or None, "status": status, "direct": direct,
            "shipments": [{"ms": m, "destinations": d.split()} for m, d in zip(ship_ms, ship_to)]}


def stored(runner: Runner, epcs: list[str]) -> dict[str, dict]:
    """The stored state; serials without one are computed."""
    out: dict[str, dict] = {}
    missing: list[str] = []
    for i in range(0, len(epcs), CHUNK):
        r = runner("recall/state", epcs=epcs[i:i + CHUNK])
        for epc, ok, site, status, direct, ms, to in zip(r["epcs"], r["stored"], r["sites"], r["statuses"],
                                                         r["directs"], r["ship_ms"], r["ship_to"]):
            if not ok:
                missing.append(epc)
                continue
            out[epc] = from_columns(site, status, direct, ms, to)
    if missing:
        out.update(compute(runner, missing, None))
    return {epc: out.get(epc, EMPTY) for epc in epcs}


def refresh(tx: ManagedTransaction, event_ids: list[str]) -> int:
    """Recompute and store the state of every item these events can affect; returns how many."""
    epcs: set[str] = set()
    for i in range(0, len(event_ids), CHUNK * 5):
        epcs.update(run(tx, "ingest/affected_items", events=event_ids[i:i + CHUNK * 5])[0]["epcs"])
    return store(tx, sorted(epcs))


def store(tx: ManagedTransaction, epcs: list[str]) -> int:
    """Recompute these items' state from their events and store it on them."""
    now = compute(lambda name, **p: columns(tx, name, **p), epcs, None)
    rows = [{"epc": epc, "site": s["site"], "status": s["status"], "direct": s["direct"],
             "ship_ms": [x["ms"] for x in s["shipments"]],
             "ship_to": [" ".join(x["destinations"]) for x in s["shipments"]]} for epc, s in now.items()]
    for i in range(0, len(rows), CHUNK):
        run(tx, "ingest/item_state", rows=rows[i:i + CHUNK])
    return len(rows)


def pending(db, everything: bool = False) -> list[str]:
    """Items whose stored state is missing or predates `state_key` (or every item)."""
    return db.read_columns("recall/unkeyed", everything=everything)["epcs"]


def backfill(db, epcs: list[str], advance: Callable[[int], None] = lambda n: None) -> int:
    """Store these items' state, one transaction per CHUNK items."""
    for i in range(0, len(epcs), CHUNK):
        chunk = epcs[i:i + CHUNK]
        db.write_tx(lambda tx: store(tx, chunk))
        advance(len(chunk))
    return len(epcs)
