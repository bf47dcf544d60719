"""Severity from the rule, raised by context; the team from the first matching route."""
from __future__ import annotations

from tracegraph.alerts.enums import Severity
from tracegraph.rules.models import Grading, Routing

IMPLANTED = {"dispensed", "implanted"}  # dispositions after use on a patient


def grade(base: Severity, ctx: dict, grading: Grading) -> tuple[Severity, list[str]]:
    steps, reasons = 0, [f"rule default {base.value}"]
    for flag, by, why in (
        (ctx.get("site_type") == "hospital", grading.at_hospital, "device is at a hospital"),
        (ctx.get("disposition") in IMPLANTED, grading.implanted, "device was dispensed/implanted"),
        (bool(ctx.get("recalled")), grading.recalled, "device is in a saved recall scope"),
        (bool(ctx.get("held")), grading.held, "subject is under an active hold"),
    ):
        if flag and by:
            steps += by
            reasons.append(f"{why} (+{by})")
    return base.raised(steps), reasons


def route(rule: str, severity: Severity, ctx: dict, routing: Routing) -> str:
    for r in routing.routes:
        if r.rule is not None and rule not in r.rule:
            continue
        if r.product_line is not None and ctx.get("product_line") not in r.product_line:
            continue
        if r.region is not None and ctx.get("region") not in r.region:
            continue
        if r.severity is not None and severity.rank < r.severity.rank:
            continue
        return r.team
    return routing.default_team
