"""Turn rule findings into alerts (graded, routed, notified) and move alerts through their life cycle."""
from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from neo4j import ManagedTransaction

from core.errors import NotFound, TracegraphError
from graph import schema
from graph.db import Database, run
from graph.db import native as _native
from tracegraph.alerts.enums import CLOSED, TRANSITIONS, Severity, State
from tracegraph.alerts.errors import InvalidTransition
from tracegraph.alerts.grading import grade, route
from tracegraph.alerts.models import Alert, AlertPage, Delivery, Step
from tracegraph.audit import service as audit
from tracegraph.rules.catalog import rules
from tracegraph.rules.engine import Evaluation
from tracegraph.rules.models import Finding, RulesConfig

CONTEXT_CHUNK = 5000
CLEARED_REASON = "condition no longer detected when the rule ran again"


def ensure_schema(db: Database) -> None:
    """The schema (alert and hold constraints included), for callers that may come first to a
    new database; applied by graph.schema.migrate, once per Database object (its memo, which
    schema.reset empties; not id(db), which a later object can reuse)."""
    if not db.memo.get(schema.APPLIED):  # migrate sets it
        schema.migrate(db)


def findings(tx: ManagedTransaction, evaluation: Evaluation, config: RulesConfig) -> list[Finding]:
    """Graded, routed findings (nothing written)."""
    catalog = rules()
    subjects = sorted({r["subject"] for rows in evaluation.rows.values() for r in rows})
    ctx: dict[str, dict] = {}
    for start in range(0, len(subjects), CONTEXT_CHUNK):
        for row in run(tx, "alerts/context", subjects=subjects[start:start + CONTEXT_CHUNK]):
            ctx[row["subject"]] = row
    out = []
    for code, rows in evaluation.rows.items():
        for r in rows:
            c = ctx.get(r["subject"], {})
            severity, reasons = grade(catalog[code].severity, c, config.grading)
            out.append(Finding(rule=code, severity=severity, subject=r["subject"], events=r["events"],
                               detail=r["detail"] or {}, time=_native(r["time"]),
                               team=route(code, severity, c, config.routing), grade_reason=reasons,
                               product_line=c.get("product_line"), region=c.get("region")))
    out.sort(key=lambda f: (f.rule, f.subject))
    return out


def record(tx: ManagedTransaction, evaluation: Evaluation, config: RulesConfig, *, actor: str,
           action: str, subject: str, request_id: str | None = None,
           graded: list[Finding] | None = None) -> tuple[list[Finding], dict[str, int]]:
    """Upsert one open alert per (rule, subject), resolve the open ones no longer seen in the
    judged scope, queue webhooks for new alerts; audited. Returns findings and counts."""
    now = datetime.now(UTC)
    run_id = uuid.uuid4().hex
    graded = graded if graded is not None else findings(tx, evaluation, config)
    ctx_rows = {f"{f.rule}|{f.subject}": f for f in graded}
    rows = [{"id": str(uuid.uuid4()), "rule": f.rule, "subject": f.subject, "events": f.events,
             "detail": json.dumps(f.detail, sort_keys=True, default=str), "time": f.time,
             "severity": f.severity.value, "base_severity": rules()[f.rule].severity.value,
             "grade_reason": f.grade_reason, "team": f.team,
             "product_line": f.product_line, "region": f.region} for f in graded]
    opened, updated, outbox = 0, 0, []
    for start in range(0, len(rows), 2000):
        for row in run(tx, "alerts/upsert", rows=rows[start:start + 2000], now=now, run=run_id):
            if not row["created"]:
                updated += 1
                continue
            opened += 1
            outbox += _deliveries(row, ctx_rows[f"{row['rule']}|{row['subject']}"], config, now)
    cleared = 0
    by_scope: dict[tuple[str, ...] | None, list[str]] = {}  # rules judged over the same subjects: one pass
    for code, scope in evaluation.scopes.items():
        by_scope.setdefault(None if scope is None else tuple(scope), []).append(code)
    for scope, codes in by_scope.items():
        cleared += len(run(tx, "alerts/clear", rules=codes, subjects=None if scope is None else list(scope),
                           run=run_id, now=now, actor="system", reason=CLEARED_REASON))
    for start in range(0, len(outbox), 2000):
        run(tx, "alerts/outbox", rows=outbox[start:start + 2000], now=now)
    counts = {"opened": opened, "updated": updated, "cleared": cleared, "notifications": len(outbox)}
    if opened or updated or cleared:
        audit.record(tx, actor=actor, action=action, subject=subject, request_id=request_id,
                     after=dict(counts, rules=sorted(evaluation.rows)))
    return graded, counts


def _deliveries(row: dict, finding: Finding, config: RulesConfig, now: datetime) -> list[dict]:
    severity = Severity(row["severity"])
    payload = json.dumps({"type": "alert.opened", "alert": {
        "id": row["id"], "rule": row["rule"], "subject": row["subject"], "severity": severity.value,
        "team": row["team"], "events": finding.events, "detail": finding.detail,
        "grade_reason": finding.grade_reason, "created": now.isoformat()}}, sort_keys=True, default=str)
    out = []
    for hook in config.webhooks:
        if hook.teams is not None and row["team"] not in hook.teams:
            continue
        if hook.severity is not None and severity.rank < hook.severity.rank:
            continue
        out.append({"id": str(uuid.uuid4()), "alert": row["id"], "url": hook.url, "payload": payload})
    return out


def _alert(row: dict) -> Alert:
    a = {k: _native(v) for k, v in row["alert"].items()}
    a["detail"] = json.loads(a.get("detail") or "{}")
    steps = [Step.model_validate({k: _native(v) for k, v in s.items()}) for s in row["steps"]]
    return Alert(**a, steps=steps)


def list_alerts(db: Database, *, state: str | None = None, rule: str | None = None, severity: str | None = None,
                team: str | None = None, subject: str | None = None, since: datetime | None = None,
                until: datetime | None = None, limit: int = 100, offset: int = 0) -> AlertPage:
    filters = {"state": state, "rule": rule, "severity": severity, "team": team, "subject": subject,
               "since": since, "until": until}

    def work(tx: ManagedTransaction) -> tuple[list[dict], int]:  # one snapshot: the total matches the page
        return (run(tx, "alerts/list", **filters, limit=limit, offset=offset),
                run(tx, "alerts/count", **filters)[0]["total"])
    rows, total = db.read_tx(work)
    alerts = [_alert(r) for r in rows]
    more = offset + len(alerts) < total
    return AlertPage(alerts=alerts, count=len(alerts), total=total, next_offset=offset + len(alerts) if more else None)


def get_alert(db: Database, alert_id: str) -> Alert:
    rows = db.read("alerts/get", id=alert_id)
    if not rows:
        raise NotFound(f"no alert {alert_id}", field="id")
    return _alert(rows[0])


def transition(db: Database, alert_id: str, to: State, *, principal: str, reason: str,
               request_id: str | None = None) -> Alert:
    """One life-cycle step by `principal`, with a required reason; audited. (An e-signature
    check for closing steps goes here, before the write.)"""
    if not reason or not reason.strip():
        raise TracegraphError("a reason is required for every alert transition", field="reason")

    def work(tx: ManagedTransaction) -> None:
        rows = run(tx, "alerts/get", id=alert_id)
        if not rows:
            raise NotFound(f"no alert {alert_id}", field="id")
        current = State(rows[0]["alert"]["state"])
        if to not in TRANSITIONS[current]:
            allowed = ", ".join(sorted(s.value for s in TRANSITIONS[current])) or "none (it is closed)"
            raise InvalidTransition(f"alert {alert_id} is {current.value}; it can move to: {allowed}",
                                    field="to", state=current.value)
        moved = run(tx, "alerts/transition", id=alert_id, to=to.value, now=datetime.now(UTC),
                    actor=principal, reason=reason, closes=to in CLOSED, **{"from": current.value})
        if not moved:
            raise InvalidTransition(f"alert {alert_id} changed state meanwhile; read it and retry", field="to")
        audit.record(tx, actor=principal, action=f"alert.{to.value}", subject=alert_id, reason=reason,
                     before={"state": current.value}, after={"state": to.value}, request_id=request_id)

    db.write_tx(work)
    return get_alert(db, alert_id)


def deliveries(db: Database, alert_id: str | None = None, limit: int = 100) -> list[Delivery]:
    rows = db.read("alerts/deliveries", alert=alert_id, limit=limit)
    return [Delivery(**{k: _native(v) for k, v in r.items() if k != "log"},
                     log=[{k: _native(v) for k, v in t.items()} for t in r["log"]]) for r in rows]
