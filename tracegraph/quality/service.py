"""Run the checks inside the ingest transaction; refuse, or record findings."""
from __future__ import annotations

import uuid
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from core.settings import Settings
from graph.db import Database, run
from tracegraph.quality import checks
from tracegraph.quality import policy as policies
from tracegraph.quality.enums import SEVERITY, Action
from tracegraph.quality.errors import QualityRejected
from tracegraph.quality.models import Finding, QualityPolicy, Violation

NOTE = "quality_findings"
_NS = uuid.UUID("5d0b1c2e-7f4a-4e51-9a53-3c3f0e8a0b61")
_override: QualityPolicy | None = None
MAX_LISTED = 200  # violations named in one rejection (the count is always complete)


def active_policy(settings: Settings) -> QualityPolicy:
    """The policy in force: `using`'s, else the file `settings.quality_policy` names (the
    caller's settings, e.g. the app's), else the packaged default."""
    if _override is not None:
        return _override
    return policies.load(settings.quality_policy)


@contextmanager
def using(policy: QualityPolicy | Path | str):
    """Use another policy for the duration (CLI --policy, tests)."""
    global _override
    previous = _override
    _override = policy if isinstance(policy, QualityPolicy) else policies.load(Path(policy))
    try:
        yield _override
    finally:
        _override = previous


def _facts(tx, events, doc) -> checks.Facts:
    facts = checks.Facts()
    # events this document declares erroneous no longer bind or commission anything
    declared = sorted({e.event_id for e in doc.events if getattr(e, "error_declaration", None)})
    serials = sorted(checks.serials(events))
    for row in run(tx, "quality/items", epcs=serials, declared=declared) if serials else []:
        if row["commissioned"] is not None:
            facts.commissioned[row["epc"]] = row["commissioned"].to_native()
        if row["lots"]:
            facts.lots[row["epc"]] = row["lots"]
    places = sorted({ev.biz_location for ev in events if ev.biz_location})
    facts.site_types = {r["epc"]: r["site_type"] for r in run(tx, "quality/site_types", epcs=places)} if places else {}
    gtins = sorted(checks.gtins(events))
    stored = {r["gtin"]: r["serial_format"] for r in run(tx, "quality/serial_formats", gtins=gtins)} if gtins else {}
    header = {gtin: a["serial_format"] for gtin, a in doc.products if a.get("serial_format")}
    facts.serial_regex = {**stored, **header}
    drawn = sorted({c.epc for ev in events for c in ev.classes if c.role == "input" and c.quantity is not None
                    and c.epc.startswith(checks.LGTIN)})
    for row in run(tx, "quality/lot_balance", lots=drawn, declared=declared) if drawn else []:
        facts.balance[(row["epc"], row["uom"])] = (float(row["made"]), float(row["drawn"]))
    return facts


def check(ctx, facts: checks.Facts | None = None) -> list[Violation]:
    """Every violation in the document's new events; raises QualityRejected if any
    breaks a `reject` rule. The `flag` ones are kept for `record_findings`.
    `facts`: what is known already, when not read from the database (a bulk load's replay)."""
    events = [e for e in ctx.events if not getattr(e, "error_declaration", None)]  # declared: ignored
    if not events:
        return []
    policy = active_policy(ctx.settings)
    doc_site_types = {epc: a["site_type"] for epc, a in ctx.doc.sites if a.get("site_type")}
    known = facts if facts is not None else _facts(ctx.tx, events, ctx.doc)
    found = checks.Checker(policy, known, datetime.now(UTC)) \
        .run(events, doc_site_types)
    rejected = [v for v in found if policy.action(v.rule) == Action.REJECT]
    if rejected:
        first = rejected[0]
        raise QualityRejected(
            f"{len(rejected)} data-quality violation(s), nothing written; first: {first.rule}: {first.reason}",
            field=first.field, violations=[v.model_dump(mode="json") for v in rejected[:MAX_LISTED]],
            violation_count=len(rejected))
    flagged = [v for v in found if policy.action(v.rule) == Action.FLAG]
    ctx.notes[NOTE] = flagged
    return flagged


def record_findings(ctx) -> int:
    """Write the flagged violations as Finding nodes in the ingest transaction."""
    flagged: list[Violation] = ctx.notes.get(NOTE) or []
    if not flagged:
        return 0
    rows = [{"id": str(uuid.uuid5(_NS, f"{v.rule}|{v.subject}|{'|'.join(sorted(v.event_ids))}")),
             "rule": str(v.rule), "subject": v.subject, "severity": SEVERITY[v.rule], "reason": v.reason,
             "event_ids": v.event_ids} for v in flagged]
    for start in range(0, len(rows), 2000):
        run(ctx.tx, "quality/record_findings", rows=rows[start:start + 2000])
    from tracegraph.audit import service as audit
    audit.record(ctx.tx, actor=ctx.actor, action="quality.findings", subject=ctx.doc.digest,
                 after={"findings": len(rows), "rules": sorted({r["rule"] for r in rows})},
                 request_id=ctx.request_id)
    ctx.notes[NOTE] = [r["id"] for r in rows]
    return len(rows)


def findings(db: Database, rule: str | None = None, open: bool | None = None, subject: str | None = None,
             limit: int = 100, offset: int = 0) -> list[Finding]:
    rows = db.read("quality/findings", rule=rule, open=open, subject=subject, limit=limit, offset=offset)
    return [Finding(**dict(r["finding"], created=r["finding"]["created"].to_native())) for r in rows]
