from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from api import problems
from api.auth import Principal, require
from api.deps import DB
from tracegraph.holds import service
from tracegraph.holds.models import HoldDetail, HoldList, HoldRequest, ReleaseRequest
from tracegraph.security import esign

router = APIRouter(prefix="/v1/holds", tags=["holds"], dependencies=[Depends(require("holds:read"))])

HoldId = Annotated[str, Path(min_length=1, max_length=64)]


class SignedRelease(ReleaseRequest):
    signature: esign.Signature | None = None  # required (21 CFR 11): password again and meaning


@router.post("", response_model=HoldDetail, status_code=201,
             summary="Hold a lot, serial, container, site, product or saved recall scope (block or flag)",
             responses=problems.responses(404))
def create_hold(db: DB, body: HoldRequest, principal: Principal = Depends(require("holds:write"))) -> HoldDetail:
    return service.create(db, body, principal=principal.id)


@router.get("", response_model=HoldList, summary="Holds, newest first")
def list_holds(db: DB, active: bool | None = None,
               subject: Annotated[str | None, Query(max_length=512, description="an object or lot EPC URN")] = None,
               limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> HoldList:
    return service.list_holds(db, active=active, subject=subject, limit=limit)


@router.get("/{id}", response_model=HoldDetail, summary="A hold and what it holds")
def get_hold(db: DB, id: HoldId) -> HoldDetail:
    return service.get_hold(db, id)


@router.post("/{id}/release", response_model=HoldDetail, summary="Release a hold, with a reason and an e-signature",
             responses=problems.responses(409))
def release_hold(db: DB, id: HoldId, body: SignedRelease,
                 principal: Principal = Depends(require("holds:write"))) -> HoldDetail:
    with esign.signed(esign.check(db, principal, body.signature)):
        return service.release(db, id, principal=principal.id, reason=body.reason)
