"""CAPAs: corrective and preventive actions for investigations, an effectiveness check, and
closure that needs every action finished, a check that found them effective, and (at the API)
an e-signature.

Ids are `CAPA-<year>-<number>` (e.g. CAPA-2026-0001). Life cycle: open -> in_progress ->
effectiveness_check -> closed; a check that finds them not effective sends it back to
in_progress. Every change writes a history entry and an audit record in its transaction;
a refused change writes nothing.
"""
from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime

from neo4j import ManagedTransaction

from core.errors import NotFound
from graph.db import Database, run
from graph.db import native as _native
from tracegraph.audit import service as audit
from tracegraph.capa.enums import ACTION_OPEN, ACTION_TRANSITIONS, TRANSITIONS, ActionStatus, Result, State
from tracegraph.capa.errors import (
    ActionsOutstanding,
    CapaClosed,
    CapaNotFound,
    InvalidActionStep,
    InvalidTransition,
    NotCheckingEffectiveness,
    NotVerifiedEffective,
)
from tracegraph.capa.models import (
    Action,
    ActionRequest,
    ActionUpdate,
    Capa,
    CapaPage,
    CapaSummary,
    CreateRequest,
    HistoryEntry,
    Step,
    Verification,
    VerificationRequest,
)
from tracegraph.investigations.errors import InvalidRequest

EDITABLE = {State.open, State.in_progress}  # actions are added and worked in these states


def _now() -> datetime:
    return datetime.now(UTC)


def _entry(now: datetime, actor: str, action: str, summary: str, reason: str | None = None,
           detail: dict | None = None, **extra) -> dict:
    e = {"at": now, "n": 0, "by": actor, "action": action, "summary": summary, "reason": reason,
         "detail": json.dumps(detail or {}, sort_keys=True, default=str)}
    e.update(extra)
    return {k: v for k, v in e.items() if v is not None}


def _row(tx: ManagedTransaction, capa_id: str) -> dict:
    rows = run(tx, "capa/get", id=capa_id)
    if not rows:
        raise CapaNotFound(f"no CAPA {capa_id}", field="id")
    return rows[0]


def _editable(tx: ManagedTransaction, capa_id: str) -> dict:
    row = _row(tx, capa_id)
    state = State(row["capa"]["state"])
    if state == State.closed:
        raise CapaClosed(f"CAPA {capa_id} is closed; nothing can be added or changed", field="id", state=state.value)
    if state not in EDITABLE:
        raise InvalidActionStep(f"CAPA {capa_id} is in {state.value}: move it back to in_progress to change its "
                                "actions", field="id", state=state.value)
    return row


def _action_rows(actions: list[ActionRequest], actor: str, now: datetime, start: int) -> list[dict]:
    return [{"id": str(uuid.uuid4()), "n": start + n, "kind": a.kind.value, "description": a.description,
             "owner": a.owner, "due": a.due, "status": ActionStatus.planned.value, "created": now,
             "created_by": actor} for n, a in enumerate(actions)]


def _check_investigations(tx: ManagedTransaction, ids: list[str]) -> None:
    known = {r["id"] for r in run(tx, "capa/investigations", ids=ids)}
    for n, inv in enumerate(ids):
        if inv not in known:
            raise NotFound(f"investigations.{n}: no investigation {inv}", field=f"investigations.{n}")


def create(db: Database, request: CreateRequest, *, principal: str, request_id: str | None = None) -> Capa:
    """A CAPA for the given investigations, with its first actions; audited."""
    investigations = list(dict.fromkeys(request.investigations))

    def work(tx: ManagedTransaction) -> str:
        _check_investigations(tx, investigations)
        now = _now()
        number = run(tx, "investigations/next_number", sequence=f"capa-{now.year}")[0]["value"]
        capa_id = f"CAPA-{now.year}-{number:04d}"
        owner = request.owner or principal
        run(tx, "capa/create", id=capa_id, title=request.title, description=request.description, owner=owner,
            due=request.due, criteria=request.effectiveness_criteria, now=now, actor=principal,
            investigations=investigations)
        actions = _action_rows(request.actions, principal, now, 0)
        if actions:
            run(tx, "capa/actions_add", id=capa_id, actions=actions, now=now)
        run(tx, "capa/log", id=capa_id, entries=[_entry(
            now, principal, "capa.create", f"created for {', '.join(investigations) or 'no investigation'}",
            detail={"owner": owner, "actions": len(actions)}, to=State.open.value)])
        audit.record(tx, actor=principal, action="capa.create", subject=capa_id,
                     after={"title": request.title, "owner": owner, "investigations": investigations,
                            "due": request.due, "actions": [a["id"] for a in actions]}, request_id=request_id)
        return capa_id

    return get(db, db.write_tx(work))


def _today() -> date:
    return _now().date()


def _capa(row: dict, today: date) -> Capa:
    c = {k: _native(v) for k, v in row["capa"].items()}
    state = State(c["state"])
    live = state != State.closed
    actions = []
    for a in row["actions"]:
        a = {k: _native(v) for k, v in a.items()}
        a["overdue"] = live and ActionStatus(a["status"]) in ACTION_OPEN and a["due"] < today
        actions.append(Action(**a))
    verifications = [Verification(**{k: _native(v) for k, v in v.items()}) for v in row["verifications"]]
    started = _native(c.get("check_started"))
    current = [v for v in verifications if started and v.at >= started]
    history = [{k: _native(v) for k, v in e.items()} for e in row["history"]]
    return Capa(
        id=c["id"], title=c["title"], description=c.get("description"), state=state, owner=c["owner"],
        due=c.get("due"), effectiveness_criteria=c.get("effectiveness_criteria"), created=c["created"],
        created_by=c["created_by"], updated=c["updated"], closed=c.get("closed"),
        investigations=row["investigations"], actions=actions, verifications=verifications,
        effective=bool(current) and current[-1].result == Result.effective,
        overdue=live and (bool(c.get("due") and c["due"] < today) or any(a.overdue for a in actions)),
        steps=[Step.model_validate(e) for e in history if e.get("from")],
        history=[HistoryEntry(**e) for e in history],
        allowed=sorted(TRANSITIONS[state], key=lambda s: list(State).index(s)))


def get(db: Database, capa_id: str) -> Capa:
    rows = db.read("capa/get", id=capa_id)
    if not rows:
        raise CapaNotFound(f"no CAPA {capa_id}", field="id")
    return _capa(rows[0], _today())


def list_capas(db: Database, *, state: str | None = None, owner: str | None = None,
               investigation: str | None = None, overdue: bool | None = None, today: date | None = None,
               limit: int = 100, offset: int = 0) -> CapaPage:
    """CAPAs, newest first; `overdue=True`: open ones past their due date or with an open action past its."""
    rows = db.read("capa/list", state=state, owner=owner, investigation=investigation, overdue=overdue,
                   today=today or _today(), limit=limit, offset=offset)
    found = [CapaSummary(**{k: _native(v) for k, v in r["capa"].items()}, investigations=r["investigations"],
                         overdue=r["overdue"], overdue_actions=r["overdue_actions"]) for r in rows]
    return CapaPage(capas=found, count=len(found))


def add_actions(db: Database, capa_id: str, actions: list[ActionRequest], *, principal: str,
                request_id: str | None = None) -> Capa:
    if not actions:
        raise InvalidRequest("give at least one action", field="actions")

    def work(tx: ManagedTransaction) -> None:
        row = _editable(tx, capa_id)
        now = _now()
        rows = _action_rows(actions, principal, now, len(row["actions"]))
        run(tx, "capa/actions_add", id=capa_id, actions=rows, now=now)
        run(tx, "capa/log", id=capa_id, entries=[_entry(
            now, principal, "capa.action.add", f"{len(rows)} action(s) added",
            detail={"actions": [{k: r[k] for k in ("id", "kind", "owner", "due")} for r in rows]})])
        audit.record(tx, actor=principal, action="capa.action.add", subject=capa_id,
                     after={"actions": [{k: r[k] for k in ("id", "kind", "description", "owner", "due")}
                                        for r in rows]}, request_id=request_id)

    db.write_tx(work)
    return get(db, capa_id)


def update_action(db: Database, capa_id: str, action_id: str, request: ActionUpdate, *, principal: str,
                  request_id: str | None = None) -> Capa:
    """Change an action's status (planned -> in_progress -> done, or cancelled with a note), owner or due date."""
    given = request.model_dump(exclude_unset=True)
    if not any(given.get(k) is not None for k in ("status", "owner", "due")):
        raise InvalidRequest("nothing to change: give status, owner or due", field="body")

    def work(tx: ManagedTransaction) -> None:
        row = _editable(tx, capa_id)
        action = next((a for a in row["actions"] if a["id"] == action_id), None)
        if action is None:
            raise NotFound(f"CAPA {capa_id} has no action {action_id}", field="action_id")
        current = ActionStatus(action["status"])
        if current not in ACTION_OPEN:
            raise InvalidActionStep(f"action {action_id} is {current.value}; it cannot change any more",
                                    field="status", action_status=current.value, allowed=[])
        now = _now()
        changes: dict = {k: given[k] for k in ("owner", "due") if given.get(k) is not None}
        to = request.status
        if to is not None and to != current:
            if to not in ACTION_TRANSITIONS[current]:
                allowed = sorted(s.value for s in ACTION_TRANSITIONS[current])
                raise InvalidActionStep(f"action {action_id} is {current.value}; it can move to: {', '.join(allowed)}",
                                        field="status", action_status=current.value, allowed=allowed)
            if to == ActionStatus.cancelled and not (request.note or "").strip():
                raise InvalidRequest("a note saying why is required to cancel an action", field="note")
            changes["status"] = to.value
            if to in (ActionStatus.done, ActionStatus.cancelled):
                changes.update(completed=now, completed_by=principal)
        if request.note is not None:
            changes["note"] = request.note
        run(tx, "capa/action_update", id=capa_id, action=action_id, changes=changes, now=now)
        name = f"capa.action.{changes['status']}" if "status" in changes else "capa.action.update"
        shown = {k: v for k, v in changes.items() if k not in ("completed", "completed_by")}
        run(tx, "capa/log", id=capa_id, entries=[_entry(
            now, principal, name, f"action {action_id}: {', '.join(f'{k} {v}' for k, v in shown.items())}",
            request.note, dict(shown, action=action_id))])
        audit.record(tx, actor=principal, action=name, subject=capa_id, reason=request.note,
                     before={"action": action_id, **{k: action.get(k) for k in shown}},
                     after={"action": action_id, **shown}, request_id=request_id)

    db.write_tx(work)
    return get(db, capa_id)


def verify(db: Database, capa_id: str, request: VerificationRequest, *, principal: str,
           request_id: str | None = None) -> Capa:
    """Record an effectiveness check (criteria, evidence, result); only during effectiveness_check."""
    def work(tx: ManagedTransaction) -> None:
        row = _row(tx, capa_id)
        state = State(row["capa"]["state"])
        if state != State.effectiveness_check:
            raise NotCheckingEffectiveness(f"CAPA {capa_id} is {state.value}; effectiveness is verified in "
                                           "effectiveness_check (after every action is done)", field="id",
                                           state=state.value)
        wanted = list(dict.fromkeys(request.evidence_ids))
        if wanted:
            known = set(run(tx, "capa/evidence_known", id=capa_id, evidence=wanted)[0]["known"])
            for n, e in enumerate(wanted):
                if e not in known:
                    raise NotFound(f"evidence_ids.{n}: no evidence {e} in the investigations this CAPA addresses",
                                   field=f"evidence_ids.{n}")
        now = _now()
        verification = {"id": str(uuid.uuid4()), "criteria": request.criteria, "evidence": request.evidence,
                        "evidence_ids": wanted, "result": request.result.value, "by": principal, "at": now}
        run(tx, "capa/verification_add", id=capa_id, verification=verification, now=now)
        run(tx, "capa/log", id=capa_id, entries=[_entry(
            now, principal, "capa.verification", f"effectiveness check: {request.result.value}",
            detail={k: v for k, v in verification.items() if k not in ("by", "at")})])
        audit.record(tx, actor=principal, action="capa.verification", subject=capa_id,
                     after={k: v for k, v in verification.items() if k != "at"}, request_id=request_id)

    db.write_tx(work)
    return get(db, capa_id)


def transition(db: Database, capa_id: str, to: State, *, principal: str, reason: str,
               request_id: str | None = None) -> Capa:
    """One life-cycle step with who, when and why. To effectiveness_check: every action done or
    cancelled (at least one done). To closed: the latest check of this round found it effective.
    (The API checks the e-signature for closure before calling this.)"""
    if not reason or not reason.strip():
        raise InvalidRequest("a reason is required for every CAPA step", field="reason")

    def work(tx: ManagedTransaction) -> None:
        row = _row(tx, capa_id)
        capa = _capa(row, _today())
        current = capa.state
        if to not in TRANSITIONS[current]:
            allowed = sorted(s.value for s in TRANSITIONS[current])
            raise InvalidTransition(f"CAPA {capa_id} is {current.value}; it can move to: "
                                    f"{', '.join(allowed) or 'nothing (it is closed)'}",
                                    field="to", state=current.value, allowed=allowed)
        outstanding = [a.id for a in capa.actions if a.status in ACTION_OPEN]
        if to == State.effectiveness_check and (outstanding or not any(a.status == ActionStatus.done
                                                                       for a in capa.actions)):
            why = f"{len(outstanding)} action(s) not done or cancelled" if outstanding else "no action is done"
            raise ActionsOutstanding(f"CAPA {capa_id} cannot go to effectiveness_check: {why}", field="to",
                                     outstanding=outstanding)
        if to == State.closed:
            if outstanding:
                raise ActionsOutstanding(f"CAPA {capa_id} cannot close: {len(outstanding)} action(s) open",
                                         field="to", outstanding=outstanding)
            if not capa.effective:
                last = capa.verifications[-1].result.value if capa.verifications else None
                why = ("the latest effectiveness check found it not effective: move it back to in_progress"
                       if last == Result.not_effective.value and capa.verifications[-1].at >= _check_started(row)
                       else "no effectiveness check of this round has found it effective yet")
                raise NotVerifiedEffective(f"CAPA {capa_id} cannot close: {why}", field="to")
        now = _now()
        if not run(tx, "capa/transition", id=capa_id, to=to.value, now=now, **{"from": current.value}):
            raise InvalidTransition(f"CAPA {capa_id} changed state meanwhile; read it and retry", field="to")
        if to == State.effectiveness_check:
            run(tx, "capa/update", id=capa_id, changes={"check_started": now}, now=now)
        run(tx, "capa/log", id=capa_id, entries=[_entry(
            now, principal, f"capa.{to.value}", f"{current.value} -> {to.value}", reason, to=to.value,
            **{"from": current.value})])
        audit.record(tx, actor=principal, action=f"capa.{to.value}", subject=capa_id, reason=reason,
                     before={"state": current.value}, after={"state": to.value}, request_id=request_id)

    db.write_tx(work)
    return get(db, capa_id)


def _check_started(row: dict) -> datetime:
    started = _native(row["capa"].get("check_started"))
    return started or datetime.min.replace(tzinfo=UTC)
