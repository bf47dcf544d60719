from datetime import date
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Query
from pydantic import BeforeValidator

from api import problems
from api.auth import Principal, require
from api.deps import DB
from core.requests import iso_only
from tracegraph.capa import service
from tracegraph.capa.enums import State
from tracegraph.capa.models import (
    ActionRequest,
    ActionUpdate,
    Capa,
    CapaPage,
    CreateRequest,
    TransitionRequest,
    VerificationRequest,
)
from tracegraph.security import esign

router = APIRouter(prefix="/v1/capas", tags=["capa"], dependencies=[Depends(require("capa:read"))])

CapaId = Annotated[str, Path(min_length=1, max_length=64, description="e.g. CAPA-2026-0001")]
Writer = Depends(require("capa:write"))


@router.post("", response_model=Capa, status_code=201, responses=problems.responses(404),
             summary="Create a CAPA for investigations, with corrective and preventive actions")
def create_capa(db: DB, body: CreateRequest, principal: Principal = Writer) -> Capa:
    return service.create(db, body, principal=principal.id)


@router.get("", response_model=CapaPage, summary="CAPAs, newest first; `overdue=true` for the overdue list")
def list_capas(db: DB, state: State | None = None, owner: Annotated[str | None, Query(max_length=200)] = None,
               investigation: Annotated[str | None, Query(max_length=64)] = None,
               overdue: Annotated[bool | None, Query(description="true: open CAPAs past a due date (their own "
                                                                  "or an open action's)")] = None,
               as_of: Annotated[date | None, BeforeValidator(iso_only),
                                Query(description="judge overdue as of this day (default today, UTC)")] = None,
               limit: Annotated[int, Query(ge=1, le=1000)] = 100,
               offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> CapaPage:
    return service.list_capas(db, state=state.value if state else None, owner=owner, investigation=investigation,
                              overdue=overdue, today=as_of, limit=limit, offset=offset)


@router.get("/{id}", response_model=Capa, summary="One CAPA with actions, effectiveness checks and history")
def get_capa(db: DB, id: CapaId) -> Capa:
    return service.get(db, id)


@router.post("/{id}/actions", response_model=Capa, status_code=201, summary="Add corrective or preventive actions")
def add_actions(db: DB, id: CapaId, body: Annotated[list[ActionRequest], Body(min_length=1, max_length=200)],
                principal: Principal = Writer) -> Capa:
    return service.add_actions(db, id, body, principal=principal.id)


@router.patch("/{id}/actions/{action_id}", response_model=Capa,
              summary="Move an action (planned → in_progress → done, or cancelled) or change its owner or due date")
def update_action(db: DB, id: CapaId, action_id: Annotated[str, Path(min_length=1, max_length=64)],
                  body: ActionUpdate, principal: Principal = Writer) -> Capa:
    return service.update_action(db, id, action_id, body, principal=principal.id)


@router.post("/{id}/verifications", response_model=Capa, status_code=201,
             summary="Record an effectiveness check: criteria, evidence and result")
def verify(db: DB, id: CapaId, body: VerificationRequest, principal: Principal = Writer) -> Capa:
    return service.verify(db, id, body, principal=principal.id)


@router.post("/{id}/transitions", response_model=Capa,
             summary="Move a CAPA: open → in_progress → effectiveness_check → closed (closing needs an e-signature)")
def transition(db: DB, id: CapaId, body: TransitionRequest, principal: Principal = Writer) -> Capa:
    signature = esign.check(db, principal, body.signature) if body.to == State.closed else None
    with esign.signed(signature):
        return service.transition(db, id, body.to, principal=principal.id, reason=body.reason)
