"""Evaluate rules: each rule is one named query taking `$epcs` (a scope, or null for
everything), `$parties` (party rules), `$p` (its parameters) and `$now`."""
from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

from tracegraph.rules import config as rules_config
from tracegraph.rules.catalog import Rule, rules
from tracegraph.rules.models import RulesConfig

Runner = Callable[..., list[dict]]  # (query name, **params) -> rows
# Rules judged at once, each lane in a read transaction of its own: the shared item-history pass
# is about half of an incremental evaluation, so two lanes keep both cores of a small machine busy.
LANES = 2


@dataclass
class Evaluation:
    rows: dict[str, list[dict]] = field(default_factory=dict)  # rule code -> finding rows
    scopes: dict[str, list[str] | None] = field(default_factory=dict)  # subjects judged (None: all)
    seconds: dict[str, float] = field(default_factory=dict)


def selected(config: RulesConfig, codes: list[str] | None = None, event_types: set[str] | None = None) -> list[Rule]:
    """Enabled rules, limited to `codes` and to those an event type in `event_types` can trigger."""
    out = []
    for code, rule in rules().items():
        if codes is not None and code not in codes:
            continue
        if not rules_config.enabled(config, code):
            continue
        if event_types is not None and not (rule.triggers & event_types):
            continue
        out.append(rule)
    return out


def evaluate(run: Runner, config: RulesConfig, chosen: list[Rule], epcs: list[str] | None,
             now: datetime) -> Evaluation:
    result = Evaluation()
    parties: list[str] | None = None
    if epcs is not None and any(r.subject == "party" for r in chosen):
        parties = run("alerts/scope_parties", epcs=epcs)[0]["parties"]
    lot_items: list[str] | None = None
    for rule in chosen:
        if rule.code in result.rows:  # judged already, in a shared pass
            continue
        started = time.perf_counter()
        scope = parties if rule.subject == "party" else epcs
        if rule.expands == "lot_items" and epcs is not None:
            if lot_items is None:
                lot_items = run("alerts/scope_lot_items", epcs=epcs)[0]["items"]
            scope = sorted(set(epcs) | set(lot_items))
        if rule.shared:
            _shared(run, config, [r for r in chosen if r.query == rule.query], scope, now, result, started)
            continue
        rows = [] if scope == [] else run(rule.query, epcs=epcs, parties=parties,
                                          p=rules_config.params(config, rule.code), now=now)
        result.rows[rule.code] = rows
        result.scopes[rule.code] = scope
        result.seconds[rule.code] = time.perf_counter() - started
    return result


def _shared(run: Runner, config: RulesConfig, group: list[Rule], scope: list[str] | None, now: datetime,
            result: Evaluation, started: float) -> None:
    """Rules judged by one shared query (same subject and scope), in one pass; its time is
    split evenly between them."""
    codes = [r.code for r in group]
    found = [] if scope == [] else run(group[0].query, epcs=scope, on=codes, now=now,
                                       ps={c: rules_config.params(config, c) for c in codes})
    for code in codes:
        result.rows[code] = [{k: v for k, v in row.items() if k != "rule"} for row in found if row["rule"] == code]
        result.scopes[code] = scope
        result.seconds[code] = (time.perf_counter() - started) / len(codes)


def lanes(chosen: list[Rule]) -> list[list[Rule]]:
    """`chosen` in lanes that can be judged at once: each shared pass with the rules it judges,
    then the other rules together (in `chosen` order within each)."""
    out: dict[str, list[Rule]] = {}
    for rule in chosen:
        out.setdefault(rule.query if rule.shared else "", []).append(rule)
    return [out[k] for k in sorted(out, key=lambda k: k == "")]


def evaluate_lanes(read: Runner, config: RulesConfig, chosen: list[Rule], epcs: list[str] | None,
                   now: datetime) -> Evaluation:
    """`evaluate`, its lanes run at once (LANES at a time), each lane's queries through `read`
    (a read transaction each): the same rows, in `chosen` order. The scope `epcs` is fixed,
    so a lane's answer does not depend on the others'."""
    parts = lanes(chosen)
    if len(parts) < 2:
        return evaluate(read, config, chosen, epcs, now)
    with ThreadPoolExecutor(max_workers=min(LANES, len(parts)), thread_name_prefix="rules") as pool:
        done = list(pool.map(lambda part: evaluate(read, config, part, epcs, now), parts))
    result = Evaluation()
    for rule in chosen:
        part = next(d for d in done if rule.code in d.rows)
        result.rows[rule.code] = part.rows[rule.code]
        result.scopes[rule.code] = part.scopes[rule.code]
        result.seconds[rule.code] = part.seconds[rule.code]
    return result
