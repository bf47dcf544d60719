"""Who must be told: from each affected serial's shipments to consignee sites (pure functions).

A site belongs to the recalling firm when master data names an operator of the firm;
where master data is silent, when a shipment's EPCIS `owning_party` destination (or
source, for shipments leaving it) is of the firm. An own site is never a consignee.
Depth `wholesale` keeps the direct accounts: non-own sites a shipment from an own site
(or from an unknown place) reached. `retail` and `user` keep every non-own site.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from tracegraph.campaigns.enums import Depth


@dataclass(frozen=True)
class Trip:
    ms: int
    source: str | None  # the shipping event's site
    destinations: tuple[str, ...]  # destination sites
    source_owners: tuple[str, ...]  # owning_party sources
    destination_owners: tuple[str, ...]  # owning_party destinations


@dataclass
class Plan:
    sites: dict[str, set[str]] = field(default_factory=dict)  # consignee site -> serials shipped there
    direct: set[str] = field(default_factory=set)  # consignee sites that are direct accounts
    owners: dict[str, str | None] = field(default_factory=dict)  # site -> operating party (master or EPCIS)
    own: set[str] = field(default_factory=set)  # the firm's sites among those seen


def trips_from_rows(rows: list) -> list[Trip]:
    """`campaigns/shipments` rows: [ms, source, destinations, source owners, destination owners]."""
    return [Trip(ms, src or None, tuple(d or ()), tuple(so or ()), tuple(do or ())) for ms, src, d, so, do in rows]


def owners(trips: dict[str, list[Trip]], master: dict[str, str | None]) -> dict[str, str | None]:
    """Each site's operator: master data first, else the owning party the shipments name."""
    out = dict(master)
    for serial_trips in trips.values():
        for t in serial_trips:
            for dest in t.destinations:
                if out.get(dest) is None and len(t.destination_owners) == 1:
                    out[dest] = t.destination_owners[0]
            if t.source and out.get(t.source) is None and len(t.source_owners) == 1:
                out[t.source] = t.source_owners[0]
    return out


def plan(trips: dict[str, list[Trip]], master: dict[str, str | None], firm: set[str], depth: Depth) -> Plan:
    """Consignee sites and the serials each received, for these serials' shipments."""
    result = Plan(owners=owners(trips, master))
    result.own = {site for site, party in result.owners.items() if party in firm}
    for serial, serial_trips in trips.items():
        for t in sorted(serial_trips, key=lambda x: x.ms):
            from_own = t.source is None or t.source in result.own
            for dest in t.destinations:
                if dest in result.own:
                    continue
                if depth == Depth.wholesale and not from_own:
                    continue
                result.sites.setdefault(dest, set()).add(serial)
                if from_own:
                    result.direct.add(dest)
    return result
