from typing import Annotated

from fastapi import APIRouter, Depends, Path

from api.auth import require
from api.deps import DB, epc_of
from tracegraph.serials import service
from tracegraph.serials.models import Serial, Timeline

router = APIRouter(prefix="/v1/serials", tags=["serials"], dependencies=[Depends(require("serials:read"))])

SerialId = Annotated[str, Path(min_length=1, max_length=512,
                               description="SGTIN EPC URN or GS1 Digital Link URI (URL-encoded)")]


@router.get("/{id:path}/timeline", response_model=Timeline, summary="Every event that saw the serial, in time order")
def timeline(db: DB, id: SerialId) -> Timeline:
    return service.timeline(db, epc_of(db, id))


@router.get("/{id:path}", response_model=Serial, summary="Product, lot, status, current site and container")
def get_serial(db: DB, id: SerialId) -> Serial:
    return service.get_serial(db, epc_of(db, id))
