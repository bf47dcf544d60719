from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Path, Query, Response, UploadFile

from api import problems
from api.auth import Principal, require
from api.deps import DB
from tracegraph.investigations import service
from tracegraph.investigations.enums import State
from tracegraph.investigations.errors import EvidenceTooLarge
from tracegraph.investigations.models import (
    Categories,
    Evidence,
    FindingRequest,
    Investigation,
    InvestigationPage,
    LinkRequest,
    OpenRequest,
    RootCauseRequest,
    SnapshotRequest,
    Timeline,
    TransitionRequest,
    UpdateRequest,
)

router = APIRouter(prefix="/v1/investigations", tags=["investigations"],
                   dependencies=[Depends(require("investigations:read"))])

InvId = Annotated[str, Path(min_length=1, max_length=64, description="e.g. INV-2026-0001")]
Writer = Depends(require("investigations:write"))


@router.post("", response_model=Investigation, status_code=201, responses=problems.responses(404),
             summary="Open an investigation by hand or from alerts, with its subjects, owner and team")
def open_investigation(db: DB, body: OpenRequest, principal: Principal = Writer) -> Investigation:
    return service.open_investigation(db, body, principal=principal.id)


@router.get("", response_model=InvestigationPage, summary="Investigations, newest first, filtered")
def list_investigations(db: DB, state: State | None = None,
                        owner: Annotated[str | None, Query(max_length=200)] = None,
                        team: Annotated[str | None, Query(max_length=200)] = None,
                        subject: Annotated[str | None, Query(max_length=512, description="a serial, lot, site "
                                                             "or supplier in any accepted form")] = None,
                        alert: Annotated[str | None, Query(max_length=64)] = None,
                        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> InvestigationPage:
    return service.list_investigations(db, state=state.value if state else None, owner=owner, team=team,
                                       subject=subject, alert=alert, limit=limit, offset=offset)


@router.get("/root-cause-categories", response_model=Categories, summary="The root-cause categories accepted")
def root_cause_categories(db: DB) -> Categories:
    return Categories(categories=service.categories(db.settings))


@router.get("/{id}", response_model=Investigation, summary="One investigation with evidence, findings and steps")
def get_investigation(db: DB, id: InvId) -> Investigation:
    return service.get(db, id)


@router.patch("/{id}", response_model=Investigation,
              summary="Change title, description, owner, team or members; add subjects")
def update_investigation(db: DB, id: InvId, body: UpdateRequest, principal: Principal = Writer) -> Investigation:
    return service.update(db, id, body, principal=principal.id)


@router.post("/{id}/transitions", response_model=Investigation,
             summary="Move it: open → in_progress → root_cause_identified → closed (with a reason)")
def transition(db: DB, id: InvId, body: TransitionRequest, principal: Principal = Writer) -> Investigation:
    return service.transition(db, id, body, principal=principal.id)


@router.post("/{id}/findings", response_model=Investigation, status_code=201, summary="Record a finding")
def add_finding(db: DB, id: InvId, body: FindingRequest, principal: Principal = Writer) -> Investigation:
    return service.add_finding(db, id, body, principal=principal.id)


@router.put("/{id}/root-cause", response_model=Investigation,
            summary="Record or revise the root cause: a configured category and text")
def set_root_cause(db: DB, id: InvId, body: RootCauseRequest, principal: Principal = Writer) -> Investigation:
    return service.set_root_cause(db, id, body, principal=principal.id)


@router.post("/{id}/evidence", response_model=Evidence, status_code=201,
             summary="Upload an evidence file (stored by SHA-256; the same bytes again give the first record, 200)",
             responses={200: {"model": Evidence, "description": "these bytes were already evidence here"},
                        **problems.responses(413, 415)})
def upload_evidence(db: DB, id: InvId, response: Response, file: Annotated[UploadFile, File()],
                    note: Annotated[str | None, Form(max_length=2000)] = None,
                    principal: Principal = Writer) -> Evidence:
    limit = db.settings.evidence_max_bytes
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise EvidenceTooLarge(f"file: larger than the {limit} bytes accepted for evidence", field="file",
                               limit=limit)
    evidence, created = service.add_file(db, id, data, filename=file.filename, content_type=file.content_type,
                                         note=note, principal=principal.id)
    if not created:
        response.status_code = 200
    return evidence


@router.post("/{id}/links", response_model=Evidence, status_code=201,
             summary="Link an event, an alert, a saved recall scope or a hold as evidence")
def add_link(db: DB, id: InvId, body: LinkRequest, principal: Principal = Writer) -> Evidence:
    return service.add_link(db, id, body, principal=principal.id)


@router.post("/{id}/trace-snapshots", response_model=Evidence, status_code=201,
             summary="Trace a serial, lot or container now and keep the answer (JSON) as evidence")
def add_snapshot(db: DB, id: InvId, body: SnapshotRequest, principal: Principal = Writer) -> Evidence:
    return service.add_snapshot(db, id, body, principal=principal.id)


def _disposition(name: str) -> str:
    fallback = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "._-") else "_" for ch in name) or "evidence"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


@router.get("/{id}/evidence/{evidence_id}/content", response_class=Response,
            responses={200: {"description": "The file's bytes, with the content type it was stored with",
                             "content": {"*/*": {"schema": {"type": "string", "format": "binary"}, "example": "..."}}}},
            summary="Download an evidence file: always as an attachment, never rendered or sniffed")
def download_evidence(db: DB, id: InvId, evidence_id: Annotated[str, Path(min_length=1, max_length=64)]) -> Response:
    evidence, data = service.evidence_content(db, id, evidence_id)
    return Response(content=data, media_type=evidence.content_type or "application/octet-stream", headers={
        "Content-Disposition": _disposition(evidence.filename or evidence.id),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, no-store",
        "ETag": f'"{evidence.sha256}"',
        "X-Evidence-SHA256": evidence.sha256,
    })


@router.get("/{id}/timeline", response_model=Timeline,
            summary="Everything that happened to it, its CAPAs and its alerts, oldest first")
def timeline(db: DB, id: InvId) -> Timeline:
    return service.timeline(db, id)
