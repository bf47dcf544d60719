"""Open investigations (from alerts or by hand), gather evidence, record findings and a root
cause, and move them open -> in_progress -> root_cause_identified -> closed.

Ids are `INV-<year>-<number>` (e.g. INV-2026-0001), numbered per calendar year (UTC) in the
transaction that creates the investigation. Every change is one transaction that also writes
a timeline entry and an audit record; a refused change writes nothing.
"""
from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

import yaml
from neo4j import ManagedTransaction

from core.errors import InvalidIdentifier, NotFound, TracegraphError
from core.settings import Settings
from graph.db import Database, run
from graph.db import native as _native
from tracegraph.audit import service as audit
from tracegraph.identity import canonical_epc
from tracegraph.investigations import files
from tracegraph.investigations.enums import SUBJECT_PREFIX, TRANSITIONS, EvidenceKind, State, SubjectKind
from tracegraph.investigations.errors import (
    InvalidRequest,
    InvalidTransition,
    InvestigationClosed,
    InvestigationNotFound,
    RootCauseMissing,
    UnknownCategory,
)
from tracegraph.investigations.models import (
    Evidence,
    Finding,
    FindingRequest,
    Investigation,
    InvestigationPage,
    InvestigationSummary,
    LinkRequest,
    OpenRequest,
    RootCause,
    RootCauseRequest,
    SnapshotRequest,
    Step,
    Subject,
    Subjects,
    Timeline,
    TimelineEntry,
    TransitionRequest,
    UpdateRequest,
)

SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _now() -> datetime:
    return datetime.now(UTC)


def categories(settings: Settings) -> list[str]:
    """Root-cause categories: the YAML file's list when one is configured, else the settings list."""
    path = settings.root_cause_categories_file
    if path is None:
        return list(settings.root_cause_categories)
    try:
        loaded = yaml.safe_load(Path(path).read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise TracegraphError(f"root-cause categories file {path} cannot be read: {exc}",
                              field="root_cause_categories_file") from exc
    if isinstance(loaded, dict):
        loaded = loaded.get("categories")
    if not isinstance(loaded, list) or not all(isinstance(c, str) and c for c in loaded):
        raise TracegraphError(f"root-cause categories file {path} must hold a list of names "
                              "(or `categories:` with one)", field="root_cause_categories_file")
    return loaded


def _category(settings: Settings, value: str, field: str) -> str:
    known = categories(settings)
    if value not in known:
        raise UnknownCategory(f"{field}: {value!r} is not a root-cause category; use one of: {', '.join(known)}",
                              field=field, categories=known)
    return value


def _entry(now: datetime, n: int, actor: str, action: str, summary: str, reason: str | None = None,
           detail: dict | None = None, **extra) -> dict:
    e = {"at": now, "n": n, "by": actor, "action": action, "summary": summary, "reason": reason,
         "detail": json.dumps(detail or {}, sort_keys=True, default=str)}
    e.update(extra)
    return {k: v for k, v in e.items() if v is not None}


def _row(tx: ManagedTransaction, inv_id: str) -> dict:
    rows = run(tx, "investigations/get", id=inv_id)
    if not rows:
        raise InvestigationNotFound(f"no investigation {inv_id}", field="id")
    return rows[0]


def _live(tx: ManagedTransaction, inv_id: str) -> dict:
    """The investigation, which must exist (404) and not be closed (409)."""
    row = _row(tx, inv_id)
    if row["investigation"]["state"] == State.closed.value:
        raise InvestigationClosed(f"investigation {inv_id} is closed; nothing can be added or changed",
                                  field="id", state=State.closed.value)
    return row


def _subject_rows(db: Database, subjects: Subjects, field: str) -> list[dict]:
    rows = []
    for kind in SubjectKind:
        for n, value in enumerate(getattr(subjects, f"{kind.value}s")):
            where = f"{field}.{kind.value}s.{n}"
            epc = canonical_epc(db, value, where)
            if not epc.startswith(SUBJECT_PREFIX[kind]):
                raise InvalidIdentifier(f"{where}: a {kind.value} is named by a {SUBJECT_PREFIX[kind]}... "
                                        f"identifier, got {epc}", field=where)
            rows.append({"kind": kind.value, "epc": epc, "field": where})
    return rows


def _alert_subject(epc: str) -> dict | None:
    for kind, prefix in SUBJECT_PREFIX.items():
        if epc and epc.startswith(prefix):
            return {"kind": kind.value, "epc": epc}
    return None


def _link_subjects(tx: ManagedTransaction, inv_id: str, required: list[dict], optional: list[dict]) -> list[dict]:
    """Link subjects; every required one must be known (404 naming the first missing one)."""
    wanted = {(r["kind"], r["epc"]): r for r in optional + required}
    rows = [{"kind": k, "epc": e} for k, e in wanted]
    found = {(r["kind"], r["epc"]) for r in run(tx, "investigations/link_subjects", id=inv_id, rows=rows)}
    for r in required:
        if (r["kind"], r["epc"]) not in found:
            raise NotFound(f"{r['field']}: no {r['kind']} {r['epc']} is known to tracegraph", field=r["field"])
    return [{"kind": k, "epc": e} for k, e in wanted if (k, e) in found]


def open_investigation(db: Database, request: OpenRequest, *, principal: str,
                       request_id: str | None = None) -> Investigation:
    """Open an investigation (by hand, or from alerts, whose subjects it then concerns); audited."""
    required = _subject_rows(db, request.subjects, "subjects")
    alert_ids = list(dict.fromkeys(request.alerts))
    if not request.title and not alert_ids:
        raise InvalidRequest("a title is required when the investigation is not opened from alerts",
                              field="title")

    def work(tx: ManagedTransaction) -> str:
        alerts = {r["id"]: r for r in run(tx, "investigations/alerts", ids=alert_ids)}
        for n, a in enumerate(alert_ids):
            if a not in alerts:
                raise NotFound(f"alerts.{n}: no alert {a}", field=f"alerts.{n}")
        now = _now()
        number = run(tx, "investigations/next_number", sequence=f"investigation-{now.year}")[0]["value"]
        inv_id = f"INV-{now.year}-{number:04d}"
        first = alerts[alert_ids[0]] if alert_ids else None
        title = request.title or f"{first['rule']} on {first['subject']}"
        owner = request.owner or principal
        run(tx, "investigations/create", id=inv_id, title=title, description=request.description, owner=owner,
            team=request.team, members=list(dict.fromkeys(request.members)), now=now, actor=principal,
            alerts=alert_ids)
        optional = [s for s in (_alert_subject(alerts[a]["subject"]) for a in alert_ids) if s]
        linked = _link_subjects(tx, inv_id, required, optional)
        how = f"from alert(s) {', '.join(alert_ids)}" if alert_ids else "by hand"
        run(tx, "investigations/log", id=inv_id, entries=[_entry(
            now, 0, principal, "investigation.open", f"opened {how}", request.reason,
            {"owner": owner, "team": request.team, "subjects": linked, "alerts": alert_ids}, to=State.open.value,
            **{"from": None})])
        audit.record(tx, actor=principal, action="investigation.open", subject=inv_id, reason=request.reason,
                     after={"title": title, "owner": owner, "team": request.team, "alerts": alert_ids,
                            "subjects": linked}, request_id=request_id)
        return inv_id

    return get(db, db.write_tx(work))


def _investigation(row: dict) -> Investigation:
    i = {k: _native(v) for k, v in row["investigation"].items()}
    rc = None
    if i.get("rc_category"):
        rc = RootCause(category=i["rc_category"], text=i["rc_text"], by=i["rc_by"], at=i["rc_at"])
    state = State(i["state"])
    return Investigation(
        id=i["id"], title=i["title"], description=i.get("description"), state=state, owner=i["owner"],
        team=i.get("team"), members=i.get("members") or [], created=i["created"], created_by=i["created_by"],
        updated=i["updated"], closed=i.get("closed"),
        subjects=[Subject(**s) for s in row["subjects"]], alerts=row["alerts"], root_cause=rc,
        findings=[Finding(**{k: _native(v) for k, v in f.items()}) for f in row["findings"]],
        evidence=[Evidence(**{k: _native(v) for k, v in e.items()}) for e in row["evidence"]],
        capas=row["capas"],
        steps=[Step.model_validate({k: _native(v) for k, v in s.items()}) for s in row["steps"] if s.get("from")],
        allowed=sorted(TRANSITIONS[state], key=lambda s: list(State).index(s)))


def get(db: Database, inv_id: str) -> Investigation:
    """One investigation; InvestigationNotFound (a NotFound: 404) when there is none."""
    rows = db.read("investigations/get", id=inv_id)
    if not rows:
        raise InvestigationNotFound(f"no investigation {inv_id}", field="id")
    return _investigation(rows[0])


def exists(tx: ManagedTransaction, inv_id: str) -> bool:
    return bool(run(tx, "investigations/get", id=inv_id))


def list_investigations(db: Database, *, state: str | None = None, owner: str | None = None,
                        team: str | None = None, subject: str | None = None, alert: str | None = None,
                        limit: int = 100, offset: int = 0) -> InvestigationPage:
    if subject is not None:
        subject = canonical_epc(db, subject, "subject")
    rows = db.read("investigations/list", state=state, owner=owner, team=team, subject=subject, alert=alert,
                   limit=limit, offset=offset)
    found = [InvestigationSummary(**{k: _native(v) for k, v in r["investigation"].items()}) for r in rows]
    return InvestigationPage(investigations=found, count=len(found))


def update(db: Database, inv_id: str, request: UpdateRequest, *, principal: str,
           request_id: str | None = None) -> Investigation:
    """Change title, description, owner, team or members, or add subjects; audited."""
    changes = request.model_dump(exclude_unset=True, exclude={"subjects", "reason"})
    if "title" in changes and changes["title"] is None:
        raise InvalidRequest("title cannot be removed", field="title")
    if "owner" in changes and changes["owner"] is None:
        raise InvalidRequest("owner cannot be removed: every investigation has one", field="owner")
    if "members" in changes and changes["members"] is None:
        changes["members"] = []
    required = _subject_rows(db, request.subjects, "subjects") if request.subjects else []
    if not changes and not required:
        raise InvalidRequest("nothing to change: give title, description, owner, team, members or subjects",
                              field="body")

    def work(tx: ManagedTransaction) -> None:
        inv = _live(tx, inv_id)["investigation"]
        now = _now()
        before = {k: inv.get(k) for k in changes}
        run(tx, "investigations/update", id=inv_id, changes=changes, now=now)
        linked = _link_subjects(tx, inv_id, required, []) if required else []
        what = sorted(changes) + (["subjects"] if linked else [])
        run(tx, "investigations/log", id=inv_id, entries=[_entry(
            now, 0, principal, "investigation.update", f"changed {', '.join(what)}", request.reason,
            dict(changes, subjects_added=linked))])
        audit.record(tx, actor=principal, action="investigation.update", subject=inv_id, reason=request.reason,
                     before=before, after=dict(changes, subjects_added=linked), request_id=request_id)

    db.write_tx(work)
    return get(db, inv_id)


def _root_cause_changes(db: Database, rc: RootCauseRequest, principal: str, now: datetime, field: str) -> dict:
    return {"rc_category": _category(db.settings, rc.category, f"{field}.category"), "rc_text": rc.text,
            "rc_by": principal, "rc_at": now}


def set_root_cause(db: Database, inv_id: str, request: RootCauseRequest, *, principal: str,
                   request_id: str | None = None) -> Investigation:
    """Record (or revise) the root cause: a category from the configured list and text; audited."""
    _category(db.settings, request.category, "category")

    def work(tx: ManagedTransaction) -> None:
        inv = _live(tx, inv_id)["investigation"]
        now = _now()
        changes = _root_cause_changes(db, request, principal, now, "root_cause")
        run(tx, "investigations/update", id=inv_id, changes=changes, now=now)
        run(tx, "investigations/log", id=inv_id, entries=[_entry(
            now, 0, principal, "investigation.root_cause", f"root cause: {request.category}",
            detail={"category": request.category, "text": request.text})])
        audit.record(tx, actor=principal, action="investigation.root_cause", subject=inv_id,
                     before={"category": inv.get("rc_category"), "text": inv.get("rc_text")},
                     after={"category": request.category, "text": request.text}, request_id=request_id)

    db.write_tx(work)
    return get(db, inv_id)


def transition(db: Database, inv_id: str, request: TransitionRequest, *, principal: str,
               request_id: str | None = None) -> Investigation:
    """One life-cycle step with who, when and why; 409 naming the allowed steps otherwise. The step
    to root_cause_identified needs a root cause (recorded before, or given with the step)."""
    if not request.reason.strip():
        raise InvalidRequest("a reason is required for every investigation step", field="reason")
    if request.root_cause is not None:
        if request.to != State.root_cause_identified:
            raise InvalidRequest("root_cause goes with the step to root_cause_identified only",
                                  field="root_cause")
        _category(db.settings, request.root_cause.category, "root_cause.category")
    to = request.to

    def work(tx: ManagedTransaction) -> None:
        inv = _row(tx, inv_id)["investigation"]
        current = State(inv["state"])
        if to not in TRANSITIONS[current]:
            allowed = sorted(s.value for s in TRANSITIONS[current])
            raise InvalidTransition(f"investigation {inv_id} is {current.value}; it can move to: "
                                    f"{', '.join(allowed) or 'nothing (it is closed)'}",
                                    field="to", state=current.value, allowed=allowed)
        now = _now()
        changes = {}
        if to == State.root_cause_identified:
            if request.root_cause is not None:
                changes = _root_cause_changes(db, request.root_cause, principal, now, "root_cause")
                run(tx, "investigations/update", id=inv_id, changes=changes, now=now)
            elif not inv.get("rc_category"):
                raise RootCauseMissing(f"investigation {inv_id} has no root cause yet: record one (PUT "
                                       f"/v1/investigations/{inv_id}/root-cause) or send root_cause with this step",
                                       field="root_cause")
        if not run(tx, "investigations/transition", id=inv_id, to=to.value, now=now, actor=principal,
                   **{"from": current.value}):
            raise InvalidTransition(f"investigation {inv_id} changed state meanwhile; read it and retry", field="to")
        detail = {"root_cause": {"category": request.root_cause.category, "text": request.root_cause.text}} \
            if request.root_cause else {}
        run(tx, "investigations/log", id=inv_id, entries=[_entry(
            now, 0, principal, f"investigation.{to.value}", f"{current.value} -> {to.value}", request.reason,
            detail, to=to.value, **{"from": current.value})])
        audit.record(tx, actor=principal, action=f"investigation.{to.value}", subject=inv_id, reason=request.reason,
                     before={"state": current.value}, after=dict(detail, state=to.value), request_id=request_id)

    db.write_tx(work)
    return get(db, inv_id)


def add_finding(db: Database, inv_id: str, request: FindingRequest, *, principal: str,
                request_id: str | None = None) -> Investigation:
    def work(tx: ManagedTransaction) -> None:
        _live(tx, inv_id)
        now, finding = _now(), str(uuid.uuid4())
        run(tx, "investigations/finding", id=inv_id, finding=finding, text=request.text, actor=principal, now=now)
        run(tx, "investigations/log", id=inv_id, entries=[_entry(
            now, 0, principal, "investigation.finding", "finding recorded", detail={"id": finding,
                                                                                  "text": request.text})])
        audit.record(tx, actor=principal, action="investigation.finding", subject=inv_id,
                     after={"finding": finding, "text": request.text}, request_id=request_id)

    db.write_tx(work)
    return get(db, inv_id)


def _safe_name(name: str | None, default: str) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    base = "".join(ch for ch in base if ch.isprintable())[:200]
    return base or default


def _add_evidence(db: Database, inv_id: str, evidence: dict, principal: str, summary: str,
                  request_id: str | None, link: bool = False) -> Evidence:
    def work(tx: ManagedTransaction) -> dict:
        _live(tx, inv_id)
        now = _now()
        evidence.update(id=str(uuid.uuid4()), by=principal, at=now)
        row = {k: v for k, v in evidence.items() if v is not None}
        if link:
            found = run(tx, "investigations/evidence_link", id=inv_id, kind=evidence["kind"],
                        target=evidence["target"], evidence=row, now=now)
            if not found:
                raise NotFound(f"no {evidence['kind']} {evidence['target']} is known to tracegraph", field="target")
        else:
            found = run(tx, "investigations/evidence_add", id=inv_id, evidence=row, now=now)
        shown = {k: v for k, v in row.items() if k not in ("by", "at")}
        run(tx, "investigations/log", id=inv_id, entries=[_entry(
            now, 0, principal, "investigation.evidence", summary, detail=shown)])
        audit.record(tx, actor=principal, action="investigation.evidence", subject=inv_id, after=shown,
                     request_id=request_id)
        return found[0]["evidence"]

    return Evidence(**{k: _native(v) for k, v in db.write_tx(work).items()})


def _existing(db: Database, inv_id: str, digest: str, kind: EvidenceKind) -> Evidence | None:
    rows = db.read("investigations/evidence_same", id=inv_id, sha256=digest, kind=kind.value)
    return Evidence(**{k: _native(v) for k, v in rows[0]["evidence"].items()}) if rows else None


def add_file(db: Database, inv_id: str, data: bytes, *, filename: str | None, content_type: str | None,
             note: str | None, principal: str, request_id: str | None = None) -> tuple[Evidence, bool]:
    """Store an uploaded file as evidence (content-addressed). Returns it and whether it is new:
    the same bytes uploaded to the same investigation again give the first record back."""
    db.read_tx(lambda tx: _live(tx, inv_id))  # 404/409 before anything is stored
    s = db.settings
    kind = files.check(data, content_type, s.evidence_content_types, s.evidence_max_bytes)
    digest = files.sha256(data)
    existing = _existing(db, inv_id, digest, EvidenceKind.file)
    if existing is not None:
        return existing, False
    files.store(Path(s.evidence_dir), data)
    name = _safe_name(filename, f"evidence-{digest[:12]}")
    evidence = {"kind": EvidenceKind.file.value, "sha256": digest, "size": len(data), "content_type": kind,
                "filename": name, "note": note}
    return _add_evidence(db, inv_id, evidence, principal, f"file {name} ({len(data)} bytes)", request_id), True


def add_link(db: Database, inv_id: str, request: LinkRequest, *, principal: str,
             request_id: str | None = None) -> Evidence:
    """Evidence that points at an event (eventID), an alert, a saved recall scope or a hold."""
    evidence = {"kind": request.kind.value, "target": request.target, "note": request.note}
    return _add_evidence(db, inv_id, evidence, principal, f"{request.kind.value} {request.target} linked",
                         request_id, link=True)


def add_snapshot(db: Database, inv_id: str, request: SnapshotRequest, *, principal: str,
                 request_id: str | None = None) -> Evidence:
    """Run a trace now and keep its answer (JSON) as evidence: later data cannot change it."""
    from tracegraph.trace.service import trace
    db.read_tx(lambda tx: _live(tx, inv_id))
    epc = canonical_epc(db, request.id, "id")
    answer = trace(db, epc, request.direction.value)
    data = answer.model_dump_json(indent=2).encode()
    digest = files.store(Path(db.settings.evidence_dir), data)
    name = f"trace-{request.direction.value}-{SAFE_NAME.sub('_', epc)}.json"
    evidence = {"kind": EvidenceKind.trace.value, "target": epc, "direction": request.direction.value,
                "sha256": digest, "size": len(data), "content_type": "application/json", "filename": name,
                "note": request.note}
    return _add_evidence(db, inv_id, evidence, principal, f"{request.direction.value} trace of {epc} kept",
                         request_id)


def evidence_content(db: Database, inv_id: str, evidence_id: str) -> tuple[Evidence, bytes]:
    """An evidence record and its bytes (checked against the SHA-256)."""
    get(db, inv_id)
    rows = db.read("investigations/evidence_get", id=inv_id, evidence=evidence_id)
    if not rows:
        raise NotFound(f"investigation {inv_id} has no evidence {evidence_id}", field="evidence_id")
    evidence = Evidence(**{k: _native(v) for k, v in rows[0]["evidence"].items()})
    if not evidence.sha256:
        raise NotFound(f"evidence {evidence_id} is a link ({evidence.kind.value} {evidence.target}), not a file",
                       field="evidence_id")
    return evidence, files.load(Path(db.settings.evidence_dir), evidence.sha256)


def timeline(db: Database, inv_id: str) -> Timeline:
    rows = db.read("investigations/timeline", id=inv_id)
    if not rows:
        get(db, inv_id)  # 404 for an unknown id; an investigation always has its opening entry
    entries = []
    for r in rows:
        e = {k: _native(v) for k, v in r["entry"].items()}
        detail = e.get("detail")
        entries.append(TimelineEntry(at=e["at"], by=e.get("by"), action=e["action"], subject=e["subject"],
                                     summary=e.get("summary") or e["action"], reason=e.get("reason"),
                                     detail=json.loads(detail) if isinstance(detail, str) else {}))
    return Timeline(investigation=inv_id, entries=entries)
