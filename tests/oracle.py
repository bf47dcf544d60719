"""An independent answer to every trace question, computed in Python (networkx)
straight from the EPCIS events, never from the database. Same rules as
tracegraph/trace/history.py, written separately."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import networkx as nx

MAX_NESTING = 4


def _time(ev: dict) -> datetime:
    return datetime.fromisoformat(ev["eventTime"].replace("Z", "+00:00"))


def _lot_of(sgtin: str, lot_number: str) -> str:
    cp, ir, _ = sgtin.rsplit(":", 1)[1].split(".")
    return f"urn:epc:class:lgtin:{cp}.{ir}.{lot_number}"


def _touched(ev: dict) -> list[str]:
    out = list(ev.get("epcList", [])) + list(ev.get("childEPCs", []))
    out += list(ev.get("inputEPCList", [])) + list(ev.get("outputEPCList", []))
    return out + ([ev["parentID"]] if ev.get("parentID") else [])


@dataclass
class Interval:
    child: str
    parent: str
    start: datetime
    end: datetime | None = None


USED = {"decommissioned", "dispensed", "inactive", "destroyed", "disposed"}


def bucket(status: str) -> str:
    """Where a serial is, for a site without master data (tracegraph.recalls.service.bucket)."""
    if status in USED:
        return "used_decommissioned"
    return {"returned": "returned", "in_transit": "in_transit"}.get(status, "in_stock")


@dataclass
class Oracle:
    events: list[dict]
    genealogy: nx.DiGraph = field(default_factory=nx.DiGraph)
    intervals: list[Interval] = field(default_factory=list)
    lot_of: dict[str, str] = field(default_factory=dict)
    as_of: datetime | None = None  # only events that happened by then exist

    def __post_init__(self):
        self.events = sorted((e for e in self.events if self.as_of is None or _time(e) <= self.as_of), key=_time)
        for ev in self.events:
            t = _time(ev)
            if ev["type"] == "TransformationEvent":
                ins = ev.get("inputEPCList", []) + [q["epcClass"] for q in ev.get("inputQuantityList", [])]
                outs = ev.get("outputEPCList", []) + [q["epcClass"] for q in ev.get("outputQuantityList", [])]
                self.genealogy.add_edges_from((i, o) for i in ins for o in outs)
                lot = (ev.get("ilmd") or {}).get("cbvmda:lotNumber")
                for o in ev.get("outputEPCList", []) if lot else []:
                    self.lot_of[o] = _lot_of(o, lot)
                    self.genealogy.add_edge(self.lot_of[o], o)
            if ev["type"] == "AggregationEvent" and ev["action"] == "ADD":
                self.intervals += [Interval(c, ev["parentID"], t) for c in ev["childEPCs"]]
            if ev["type"] == "AggregationEvent" and ev["action"] == "DELETE":
                children = ev.get("childEPCs") or {i.child for i in self.intervals if i.parent == ev["parentID"]}
                for child in children:
                    open_ = [i for i in self.intervals if i.child == child and i.parent == ev["parentID"]
                             and i.end is None and i.start <= t]
                    if open_:
                        max(open_, key=lambda i: i.start).end = t

    def known(self) -> set[str]:
        """Every identifier the history mentions (lots, items, containers)."""
        out = set(self.genealogy.nodes)
        for ev in self.events:
            out.update(_touched(ev))
            out.update(q["epcClass"] for k in ("quantityList", "inputQuantityList", "outputQuantityList")
                       for q in ev.get(k, []))
        return out

    def _chains(self, epc: str):
        """(container, lo, hi) for every nesting chain up from epc (common interval)."""
        stack = [(epc, None, None, 0)]
        while stack:
            node, lo, hi, depth = stack.pop()
            if depth == MAX_NESTING:
                continue
            for iv in (i for i in self.intervals if i.child == node):
                new_lo = iv.start if lo is None or iv.start > lo else lo
                new_hi = hi if iv.end is None else (iv.end if hi is None or iv.end < hi else hi)
                yield iv.parent, new_lo, new_hi
                stack.append((iv.parent, new_lo, new_hi, depth + 1))

    def observations(self, epc: str) -> list[dict]:
        chains = list(self._chains(epc))
        seen = []
        for ev in self.events:
            t = _time(ev)
            touched = _touched(ev)
            direct = epc in touched
            via = any(c in touched and lo <= t and (hi is None or t <= hi) for c, lo, hi in chains)
            if direct or via:
                seen.append(dict(ev, _direct_epc=epc in ev.get("epcList", [])))
        return seen

    def containers(self, epc: str) -> set[str]:
        return {c for c, lo, hi in self._chains(epc) if ":sscc:" in c and (hi is None or lo <= hi)}

    def contents(self, container: str) -> set[str]:
        found, frontier = set(), {container}
        for _ in range(MAX_NESTING):
            frontier = {i.child for i in self.intervals if i.parent in frontier}
            found |= frontier
        return {e for e in found if ":sgtin:" in e}

    @staticmethod
    def sites(observations: list[dict]) -> set[str]:
        """Business locations: bizLocation, else the site of the readPoint (the SGLN with
        extension 0: these histories have no read point master data), and shipping destinations."""
        out = set()
        for ev in observations:
            place = (ev.get("bizLocation") or {}).get("id")
            point = (ev.get("readPoint") or {}).get("id")
            if not place and point and point.startswith("urn:epc:id:sgln:") and point.count(".") == 2:
                place = point.rsplit(".", 1)[0] + ".0"
            if place:
                out.add(place)
            if ev.get("bizStep") == "shipping":
                out |= {d["destination"] for d in ev.get("destinationList", []) if d["type"] == "location"}
        return out

    @staticmethod
    def read_points(observations: list[dict]) -> set[str]:
        return {ev["readPoint"]["id"] for ev in observations if (ev.get("readPoint") or {}).get("id")}

    @staticmethod
    def current(observations: list[dict]) -> tuple[str | None, str]:
        site, status = None, "unknown"
        for ev in observations:
            site = (ev.get("bizLocation") or ev.get("readPoint") or {}).get("id") or site
            if ev["type"] == "ObjectEvent" and ev["action"] == "DELETE" and ev["_direct_epc"]:
                status = "decommissioned"
            elif ev.get("disposition"):
                status = ev["disposition"]
        return site, status

    def trace(self, root: str, direction: str) -> dict:
        kind = "container" if ":sscc:" in root else ("lot" if ":lgtin:" in root else "item")
        starts = self.contents(root) if kind == "container" else {root}
        closure = set(starts)
        for s in starts:
            if s in self.genealogy:
                closure |= (nx.descendants if direction == "forward" else nx.ancestors)(self.genealogy, s)
        closure.discard(root)
        serials = {n for n in closure if ":sgtin:" in n}
        lots = {n for n in closure if ":lgtin:" in n} | {self.lot_of[s] for s in serials if s in self.lot_of}
        scope = serials | ({root} if kind == "item" else set())
        obs = {s: self.observations(s) for s in scope}
        return {
            "root": root, "direction": direction,
            "serials": sorted(serials), "lots": sorted(lots),
            "containers": sorted(set().union(*(self.containers(s) for s in scope)) if scope else set()),
            "sites": sorted(set().union(*(self.sites(o) for o in obs.values())) if obs else set()),
            "read_points": sorted(set().union(*(self.read_points(o) for o in obs.values())) if obs else set()),
            "current": {s: dict(zip(("site", "status"), self.current(obs[s]))) for s in sorted(serials)},
            "next": None,
        }

    # ---- recall scope (tracegraph.recalls) ----

    def shipped_contents(self, container: str) -> set[str]:
        """Items inside the container when it was shipped (all ever inside if never shipped)."""
        times = [_time(ev) for ev in self.events if ev.get("bizStep") == "shipping" and container in _touched(ev)]
        items = self.contents(container)
        if not times:
            return items
        return {i for i in items if any(c == container and lo <= t and (hi is None or t <= hi)
                                        for c, lo, hi in self._chains(i) for t in times)}

    def roots(self, starts: list[tuple[str, str]]) -> set[str]:
        """The genealogy roots of a scope's starts: a container stands for its shipped contents."""
        roots: set[str] = set()
        for kind, epc in starts:
            roots |= self.shipped_contents(epc) if kind == "container" else {epc}
        return roots

    def distances(self, roots: set[str]) -> dict[str, int]:
        """Links on a shortest derivation path from the nearest of `roots` to each node they reach
        (a root is 0 from itself, in the genealogy or not)."""
        sources = {r for r in roots if r in self.genealogy}
        found = nx.multi_source_dijkstra_path_length(self.genealogy, sources) if sources else {}
        return dict.fromkeys(roots, 0) | found

    def scope(self, starts: list[tuple[str, str]], depth: int | None = None, include_decommissioned: bool = True,
              include_returned: bool = True) -> dict:
        roots = self.roots(starts)
        reached: set[str] = set()
        for r in roots:
            reached |= set(nx.single_source_shortest_path_length(self.genealogy, r, cutoff=depth)) \
                if r in self.genealogy else {r}
        named = set().union(*(_touched(ev) for ev in self.events)) if self.events else set()
        serials, status, consignees = [], {}, {}
        for s in sorted(n for n in reached if ":sgtin:" in n):
            if self.as_of is not None and s not in named:
                continue
            obs = self.observations(s)
            b = bucket(self.current(obs)[1])
            if ((b == "used_decommissioned" and not include_decommissioned)
                    or (b == "returned" and not include_returned)):
                continue
            serials.append(s)
            status[s] = b
            for ev in obs:
                for d in ev.get("destinationList", []):
                    qty, last = consignees.get(d["destination"], (set(), _time(ev)))
                    consignees[d["destination"]] = (qty | {s}, max(last, _time(ev)))
        return {"serials": serials, "status": status,
                "consignees": {site: (len(q), t) for site, (q, t) in consignees.items()}}
