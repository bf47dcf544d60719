"""The item-history rules of cypher/rules/_item_history.cypher judged in Python, for a caller that
already holds every item's history (a bulk load replays it: tracegraph/bulk/state.py) and so
need not walk the store again. The rows are the Cypher's, rule for rule (a property test holds
them equal: tests/test_rules_history.py); the Cypher stays the judge of streaming ingest.

CHANNEL_MISMATCH reads master data (AUTHORIZED edges), which a history does not hold: it is
answered here only when it cannot find anything (no AUTHORIZED edge while unmanaged shippers
are skipped), else left to the Cypher.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.epcis.models import commissioning_roles

CODES = ("TWO_PLACES", "FAILED_INSPECTION_SHIPPED", "SHIPPED_NOT_RECEIVED", "RECEIVED_NOT_SHIPPED",
         "DUPLICATE_SERIAL", "DECOMMISSIONED_REAPPEARS")
_SECOND = timedelta(seconds=1)


@dataclass(frozen=True, slots=True)
class Sighting:
    """An event that saw the item (not declared erroneous), as the rules read it."""
    event_id: str
    time: datetime
    biz_step: str | None
    disposition: str | None
    place: str | None  # biz_location, else read_point
    type: str
    action: str | None
    roles: frozenset[str]  # the roles it named the item itself in (none: it saw a container)


def judge(histories: Iterable[tuple[str, list[Sighting]]], codes: Iterable[str], ps: dict[str, dict],
          now: datetime) -> dict[str, list[dict]]:
    """Finding rows ({subject, events, detail, time}) by code, for `codes` (of CODES), in subject
    order; `histories`: (item epc, its sightings in any order), each item once."""
    codes = [c for c in CODES if c in set(codes)]
    found: dict[str, list[dict]] = {c: [] for c in codes}
    judges = [(c, _JUDGES[c], ps.get(c, {})) for c in codes]
    # one history at a time (a bulk load's histories are made as they are read: never all at once),
    # then the rows in subject order
    for epc, seen in histories:
        if not seen:
            continue
        es = sorted(seen, key=lambda s: (s.time, s.event_id))
        for code, rule, p in judges:
            row = rule(es, p, now)
            if row is not None:
                row["subject"] = epc
                found[code].append(row)
    for rows in found.values():
        rows.sort(key=lambda r: r["subject"])
    return found


def _two_places(es: list[Sighting], p: dict, now: datetime) -> dict | None:
    seen = [e for e in es if e.place is not None]
    limit = p["max_minutes"] * 60
    pairs = [(a, b) for a, b in zip(seen, seen[1:], strict=False)
             if a.place != b.place and (b.time - a.time) // _SECOND < limit]
    if not pairs:
        return None
    hits: list[Sighting] = []
    for pair in pairs:
        hits += [x for x in pair if x.event_id not in {h.event_id for h in hits}]
    places: list[str] = []
    for h in hits:
        if h.place not in places:
            places.append(h.place)
    gap = min((b.time - a.time) // _SECOND for a, b in pairs)
    return {"events": [h.event_id for h in hits], "detail": {"places": places, "min_gap_minutes": gap / 60.0},
            "time": hits[-1].time}


def _failed_inspection_shipped(es: list[Sighting], p: dict, now: datetime) -> dict | None:
    failed, cleared = p["failed"], p["cleared"]
    hit: set[str] = set()
    for s in es:
        if s.biz_step != "shipping":
            continue
        fails = [f for f in es if f.disposition in failed and f.time <= s.time and f.event_id != s.event_id
                 and not any(ok.disposition in cleared and f.time < ok.time <= s.time for ok in es)]
        if fails:
            hit.update(f.event_id for f in fails)
            hit.add(s.event_id)
    if not hit:
        return None
    events = [e for e in es if e.event_id in hit]
    return {"events": [e.event_id for e in events], "detail": {}, "time": max(e.time for e in events)}


def _shipped_not_received(es: list[Sighting], p: dict, now: datetime) -> dict | None:
    window = timedelta(hours=p["max_hours"])
    lost = [s for s in es if s.biz_step == "shipping" and s.time + window < now
            and not any(r.biz_step == "receiving" and s.time <= r.time <= s.time + window for r in es)]
    if not lost:
        return None
    return {"events": [s.event_id for s in lost], "detail": {"shipments": len(lost)}, "time": lost[-1].time}


def _received_not_shipped(es: list[Sighting], p: dict, now: datetime) -> dict | None:
    orphans = [r for r in es if r.biz_step == "receiving"
               and not any(s.biz_step == "shipping" and s.time <= r.time for s in es)]
    if not orphans:
        return None
    return {"events": [r.event_id for r in orphans], "detail": {"receipts": len(orphans)},
            "time": orphans[-1].time}


def _commissions(e: Sighting) -> bool:
    return not e.roles.isdisjoint(commissioning_roles(e.type, e.action, e.biz_step))


def _duplicate_serial(es: list[Sighting], p: dict, now: datetime) -> dict | None:
    made = [e for e in es if _commissions(e)]
    if len(made) < 2:
        return None
    return {"events": [e.event_id for e in made], "detail": {"commissionings": len(made)}, "time": made[-1].time}


def _decommissioned_reappears(es: list[Sighting], p: dict, now: datetime) -> dict | None:
    gone = next((e for e in es if e.type == "ObjectEvent" and e.action == "DELETE" and "epc" in e.roles), None)
    later = [e for e in es if gone is not None and e.time > gone.time]
    if not later:
        return None
    return {"events": [gone.event_id] + [e.event_id for e in later],
            "detail": {"decommissioned": cypher_string(gone.time), "sightings_after": len(later)},
            "time": later[-1].time}


def cypher_string(t: datetime) -> str:
    """toString() of a Neo4j DateTime with an offset: seconds always, the fraction without its
    trailing zeros, Z for UTC."""
    text = t.strftime("%Y-%m-%dT%H:%M:%S")
    if t.microsecond:
        text += f".{t.microsecond:06d}".rstrip("0")
    offset = t.utcoffset()
    if not offset:
        return text + "Z"
    sign, offset = ("-", -offset) if offset < timedelta(0) else ("+", offset)
    minutes = offset // timedelta(minutes=1)
    return text + f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


_JUDGES = {"TWO_PLACES": _two_places, "FAILED_INSPECTION_SHIPPED": _failed_inspection_shipped,
           "SHIPPED_NOT_RECEIVED": _shipped_not_received, "RECEIVED_NOT_SHIPPED": _received_not_shipped,
           "DUPLICATE_SERIAL": _duplicate_serial, "DECOMMISSIONED_REAPPEARS": _decommissioned_reappears}
