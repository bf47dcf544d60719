"""Reading an item's observations: where it was, what state it is in now.

The rules (kept in one place so CLI, API and tests agree):
- an event's place is its bizLocation, else its readPoint;
- a shipment's destination sites count as places the item went to;
- status walks the events in time order: an ObjectEvent DELETE that names the
  item itself means `decommissioned`; otherwise the latest disposition holds.
"""
from __future__ import annotations

from collections.abc import Iterable

from tracegraph.trace.models import Current


def place(obs: dict) -> str | None:
    return obs["biz_location"] or obs["read_point"]


def sites(observations: Iterable[dict]) -> set[str]:
    out: set[str] = set()
    for obs in observations:
        if place(obs):
            out.add(place(obs))
        out.update(obs["destinations"] or [])
    return out


def current(observations: list[dict]) -> Current:
    """Observations must be in time order (the query sorts them)."""
    site, status = None, "unknown"
    for obs in observations:
        site = place(obs) or site
        if obs["type"] == "ObjectEvent" and obs["action"] == "DELETE" and obs["direct_epc"]:
            status = "decommissioned"
        elif obs["disposition"]:
            status = obs["disposition"]
    return Current(site=site, status=status)
