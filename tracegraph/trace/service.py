"""Forward (recall) and backward (genealogy) traces over the graph."""
from __future__ import annotations

from itertools import groupby

from graph.db import Database
from tracegraph.errors import NotFound
from tracegraph.trace import history
from tracegraph.trace.models import TraceResult

CHUNK = 2000  # items per observation query: bounded memory per round trip


def root_kind(db: Database, epc: str) -> str:
    rows = db.read("trace/root", epc=epc)
    if not rows:
        raise NotFound(f"{epc} is not known to tracegraph", field="id")
    return rows[0]["kind"]


def observations(db: Database, epcs: list[str]) -> dict[str, list[dict]]:
    """Time-ordered observations per item."""
    out: dict[str, list[dict]] = {epc: [] for epc in epcs}
    for start in range(0, len(epcs), CHUNK):
        rows = db.read("trace/observations", epcs=epcs[start:start + CHUNK])
        for epc, group in groupby(rows, key=lambda r: r["epc"]):
            out[epc] = list(group)
    return out


def containers(db: Database, epcs: list[str]) -> set[str]:
    out: set[str] = set()
    for start in range(0, len(epcs), CHUNK):
        out.update(db.read("trace/containers", epcs=epcs[start:start + CHUNK])[0]["containers"])
    return out


def trace(db: Database, epc: str, direction: str) -> TraceResult:
    kind = root_kind(db, epc)
    starts = db.read("trace/contents", epc=epc)[0]["items"] if kind == "container" else [epc]
    closure = [r for r in (db.read(f"trace/{direction}", starts=starts) if starts else []) if r["epc"] != epc]
    serials = {r["epc"] for r in closure if r["item"]}
    lots = {r["epc"] for r in closure if r["lot"]} | {r["of_lot"] for r in closure if r["item"] and r["of_lot"]}
    scope = sorted(serials | ({epc} if kind == "item" else set()))
    seen = observations(db, scope)
    return TraceResult(
        root=epc,
        direction=direction,
        serials=sorted(serials),
        lots=sorted(lots),
        containers=sorted(containers(db, scope)),
        sites=sorted(set().union(*(history.sites(obs) for obs in seen.values())) if seen else set()),
        current={s: history.current(seen[s]) for s in sorted(serials)},
    )
