"""The checks themselves: pure functions of the new events, the policy and stored facts.

Each returns Violations; the service decides per rule whether they refuse the
document or become Findings.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from core.epcis.models import Event
from core.identifiers import EpcId, IdentifierError, parse_epc_urn
from core.identifiers.charset import check_cset82
from core.identifiers.epc import lot_class
from tracegraph.quality.enums import Charset, Rule
from tracegraph.quality.models import (
    ProductPolicy,
    QualityPolicy,
    SerialFormat,
    Violation,
)

SGTIN = "urn:epc:id:sgtin:"
LGTIN = "urn:epc:class:lgtin:"
_CHARSETS = {Charset.DIGITS: re.compile(r"[0-9]+"), Charset.ALNUM: re.compile(r"[A-Za-z0-9]+"),
             Charset.ALNUM_UPPER: re.compile(r"[A-Z0-9]+")}


@dataclass
class Facts:
    """What the database already knows about the things a document touches."""
    commissioned: dict[str, datetime] = field(default_factory=dict)  # serial -> first commissioning
    lots: dict[str, list[str]] = field(default_factory=dict)  # serial -> lots it is bound to
    site_types: dict[str, str] = field(default_factory=dict)
    serial_regex: dict[str, str] = field(default_factory=dict)  # gtin -> master data serial_format
    balance: dict[tuple[str, str], tuple[float, float]] = field(default_factory=dict)  # (lot, uom) -> made, drawn


@lru_cache(maxsize=65536)
def _epc(urn: str) -> EpcId | None:
    try:
        return parse_epc_urn(urn)
    except IdentifierError:
        return None


@lru_cache(maxsize=65536)
def gtin_of(urn: str) -> str | None:
    epc = _epc(urn)
    return epc.gs1_key if epc is not None and epc.scheme in ("sgtin", "lgtin") else None


def lot_of(item: str, lot_number: str) -> str:
    epc = _epc(item)
    return lot_class(epc.company_prefix, epc.item_ref, lot_number)


def serials(events: list[Event]) -> set[str]:
    return {o.epc for ev in events for o in ev.objects if o.epc.startswith(SGTIN)}


def gtins(events: list[Event]) -> set[str]:
    out = {gtin_of(o.epc) for ev in events for o in ev.objects if o.epc.startswith(SGTIN)}
    out |= {gtin_of(c.epc) for ev in events for c in ev.classes if c.epc.startswith(LGTIN)}
    return out - {None}


class Checker:
    def __init__(self, policy: QualityPolicy, facts: Facts, now: datetime):
        self.policy, self.facts, self.now = policy, facts, now
        self._product: dict[str, ProductPolicy] = {}

    def product(self, gtin: str | None) -> ProductPolicy:
        if gtin is None:
            return self.policy.defaults
        if gtin not in self._product:
            self._product[gtin] = self.policy.for_product(gtin)
        return self._product[gtin]

    def run(self, events: list[Event], doc_site_types: dict[str, str]) -> list[Violation]:
        events = sorted(events, key=lambda e: e.time)
        out: list[Violation] = []
        out += self.in_future(events)
        out += self.commissioning(events)
        out += self.serial_format(events)
        out += self.required_ilmd(events)
        out += self.biz_steps(events, {**self.facts.site_types, **doc_site_types})
        out += self.lot_balance(events)
        return out

    def in_future(self, events: list[Event]) -> list[Violation]:
        limit = self.now + timedelta(seconds=self.policy.future_tolerance_seconds)
        return [Violation(rule=Rule.EVENT_IN_FUTURE, subject=ev.event_id, event_ids=[ev.event_id], field="eventTime",
                          reason=f"eventTime {ev.time.isoformat()} is later than now ({self.now.isoformat()})")
                for ev in events if ev.time > limit]

    def commissioning(self, events: list[Event]) -> list[Violation]:
        """Duplicate commissioning, lot binding, and events before commissioning (events in time order)."""
        out: list[Violation] = []
        first: dict[str, tuple[datetime, str]] = {}  # serial -> (time, event) commissioned in this document
        bound: dict[str, tuple[str, str]] = {}  # serial -> (lot, event) bound in this document
        for ev in events:
            roles = ev.commissioning_roles()
            if not roles:
                continue  # no lot claim (_lot_product) and no commissioning
            out += self._lot_product(ev, roles)
            for obs in ev.objects:
                if obs.role not in roles or not obs.epc.startswith(SGTIN):
                    continue
                epc = obs.epc
                stored = self.facts.commissioned.get(epc)
                if stored is not None or epc in first:
                    when, by = (stored, "an earlier document") if stored is not None else \
                        (first[epc][0], f"event {first[epc][1]}")
                    out.append(Violation(rule=Rule.DUPLICATE_COMMISSIONING, subject=epc, event_ids=[ev.event_id],
                                         reason=f"{epc} was already commissioned at {when.isoformat()} by {by}"))
                else:
                    first[epc] = (ev.time, ev.event_id)
                if ev.lot_number:
                    lot = lot_of(epc, ev.lot_number)
                    known = self.facts.lots.get(epc) or ([bound[epc][0]] if epc in bound else [])
                    if known and lot not in known:
                        out.append(Violation(rule=Rule.SERIAL_LOT_BINDING, subject=epc, event_ids=[ev.event_id],
                                             field="ilmd.lotNumber",
                                             reason=f"{epc} belongs to lot {known[0]}; this event claims lot {lot}"))
                    else:
                        bound.setdefault(epc, (lot, ev.event_id))
        for ev in events:
            roles = ev.commissioning_roles()
            for obs in ev.objects:
                if obs.role in roles or not obs.epc.startswith(SGTIN):
                    continue
                times = [t for t in (self.facts.commissioned.get(obs.epc), first.get(obs.epc, (None,))[0]) if t]
                if times and ev.time < min(times):
                    out.append(Violation(rule=Rule.EVENT_BEFORE_COMMISSIONING, subject=obs.epc,
                                         event_ids=[ev.event_id], field="eventTime",
                                         reason=f"{obs.epc} is seen at {ev.time.isoformat()}, before it was "
                                                f"commissioned at {min(times).isoformat()}"))
        return out

    def _lot_product(self, ev: Event, roles: tuple[str, ...]) -> list[Violation]:
        """A serial's lot is a lot of the serial's own product (`roles`: those `ev` commissions in)."""
        if not ev.lot_number:
            return []
        lots = {gtin_of(c.epc) for c in ev.classes
                if c.role in roles and c.epc.startswith(LGTIN)
                and getattr(_epc(c.epc), "lot", None) == ev.lot_number}
        if not lots:
            return []
        out = []
        for obs in ev.objects:
            gtin = gtin_of(obs.epc) if obs.epc.startswith(SGTIN) else None
            if gtin and obs.role in roles and lots - {gtin}:
                out.append(Violation(rule=Rule.SERIAL_LOT_BINDING, subject=obs.epc, event_ids=[ev.event_id],
                                     field="ilmd.lotNumber",
                                     reason=f"{obs.epc} is product {gtin} but lot {ev.lot_number} in this event "
                                            f"is of product {', '.join(sorted(lots - {gtin}))}"))
        return out

    def serial_format(self, events: list[Event]) -> list[Violation]:
        out = []
        first_event: dict[str, str] = {}
        for ev in events:
            for obs in ev.objects:
                if obs.epc.startswith(SGTIN):
                    first_event.setdefault(obs.epc, ev.event_id)
        for epc, event_id in first_event.items():
            parsed = _epc(epc)
            if parsed is None:  # an SGTIN URN that does not parse: no product to check it against
                out.append(Violation(rule=Rule.SERIAL_FORMAT, subject=epc, event_ids=[event_id], field="epcList",
                                     reason=f"{epc} is not a valid SGTIN EPC URN"))
                continue
            gtin = parsed.gs1_key
            reasons = _format_problems(parsed.serial, self.product(gtin).serial_format)
            regex = self.facts.serial_regex.get(gtin)
            if regex and not _fullmatch(regex, parsed.serial):
                reasons.append(f"does not match the product master data serial format {regex!r}")
            if reasons:
                out.append(Violation(rule=Rule.SERIAL_FORMAT, subject=epc, event_ids=[event_id], field="serial",
                                     reason=f"serial {parsed.serial!r} of product {gtin} " + "; ".join(reasons)))
        return out

    def required_ilmd(self, events: list[Event]) -> list[Violation]:
        if not self.policy.products and not self.policy.defaults.required_ilmd:
            return []  # every product's policy is the defaults, which require nothing
        out = []
        for ev in events:
            roles = ev.commissioning_roles()
            if not roles:
                continue  # it makes nothing
            made = {gtin_of(o.epc) for o in ev.objects if o.role in roles and o.epc.startswith(SGTIN)}
            made |= {gtin_of(c.epc) for c in ev.classes if c.role in roles} if ev.classes else set()
            made.discard(None)
            have = {"lot": ev.lot_number, "expiry": ev.expiry}
            for gtin in sorted(made):
                missing = [f for f in self.product(gtin).required_ilmd or [] if not have.get(f)]
                if missing:
                    out.append(Violation(rule=Rule.REQUIRED_ILMD, subject=ev.event_id, event_ids=[ev.event_id],
                                         field="ilmd", reason=f"commissioning of product {gtin} lacks required "
                                                              f"ILMD field(s): {', '.join(missing)}"))
        return out

    def biz_steps(self, events: list[Event], site_types: dict[str, str]) -> list[Violation]:
        out = []
        for ev in events:
            site_type = site_types.get(ev.biz_location) if ev.biz_location else None
            if site_type is None or not ev.biz_step:
                continue
            if not self.policy.products:  # every product's policy is the defaults: one answer for all
                allowed = (self.policy.defaults.allowed_biz_steps or {}).get(site_type)
                if allowed is None or ev.biz_step in allowed:
                    continue
            products = {gtin_of(o.epc) for o in ev.objects if o.epc.startswith(SGTIN)}
            products |= {gtin_of(c.epc) for c in ev.classes}
            products = products - {None} or {None}
            refusing = sorted(g or "any product" for g in products
                              if (allowed := (self.product(g).allowed_biz_steps or {}).get(site_type)) is not None
                              and ev.biz_step not in allowed)
            if refusing:
                out.append(Violation(rule=Rule.BIZ_STEP_SITE_TYPE, subject=ev.event_id, event_ids=[ev.event_id],
                                     field="bizStep", reason=f"business step {ev.biz_step!r} is not allowed at a "
                                                             f"{site_type} site ({ev.biz_location}) for "
                                                             f"{', '.join(refusing)}"))
        return out

    def lot_balance(self, events: list[Event]) -> list[Violation]:
        made: dict[tuple[str, str], float] = defaultdict(float)
        drawn: dict[tuple[str, str], float] = defaultdict(float)
        drawn_by: dict[tuple[str, str], list[str]] = defaultdict(list)
        for ev in events:
            for c in ev.classes:
                if c.quantity is None or not c.epc.startswith(LGTIN):
                    continue
                key = (c.epc, c.uom or "")
                if c.role == "input":
                    drawn[key] += c.quantity
                    drawn_by[key].append(ev.event_id)
                elif c.role in ev.commissioning_roles():
                    made[key] += c.quantity
        out = []
        for key in sorted(drawn):
            stored_made, stored_drawn = self.facts.balance.get(key, (0.0, 0.0))
            total_made, total_drawn = stored_made + made[key], stored_drawn + drawn[key]
            if total_made > 0 and total_drawn > total_made * (1 + 1e-9):
                unit = f" {key[1]}" if key[1] else ""
                out.append(Violation(rule=Rule.LOT_QUANTITY_BALANCE, subject=key[0], event_ids=drawn_by[key],
                                     field="inputQuantityList",
                                     reason=f"transformations draw {total_drawn:g}{unit} from lot {key[0]}, "
                                            f"which was made with {total_made:g}{unit}"))
        return out


def _fullmatch(regex: str, value: str) -> bool:
    try:
        return re.fullmatch(regex, value) is not None
    except re.error:
        return True  # a broken master-data regex is reported where it is set, not held against data


def _format_problems(serial: str, fmt: SerialFormat | None) -> list[str]:
    if fmt is None:
        return []
    problems = []
    if fmt.charset == Charset.CSET82:
        try:
            check_cset82(serial, "serial", serial, max_len=max(len(serial), 1))
        except IdentifierError as exc:
            problems.append(f"is not in {fmt.charset.value}: {exc.reason}")
    elif fmt.charset is not None and not _CHARSETS[fmt.charset].fullmatch(serial):
        problems.append(f"has characters outside {fmt.charset.value}")
    if fmt.min_length is not None and len(serial) < fmt.min_length:
        problems.append(f"is shorter than {fmt.min_length} characters")
    if fmt.max_length is not None and len(serial) > fmt.max_length:
        problems.append(f"is longer than {fmt.max_length} characters")
    if fmt.regex is not None and not re.fullmatch(fmt.regex, serial):
        problems.append(f"does not match {fmt.regex!r}")
    return problems
