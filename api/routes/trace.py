from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.auth import require
from api.deps import DB, epc_of
from tracegraph.trace import service
from tracegraph.trace.models import TraceResult

router = APIRouter(prefix="/v1/trace", tags=["trace"], dependencies=[Depends(require("trace:read"))])

IdParam = Annotated[str, Query(min_length=1, max_length=512,
                               description="EPC URN (sgtin, sscc, lgtin class) or GS1 Digital Link URI")]


@router.get("/forward", response_model=TraceResult, summary="Everything made from, and everywhere reached by, an item, lot or container")
def forward(db: DB, id: IdParam) -> TraceResult:
    return service.trace(db, epc_of(db, id), "forward")


@router.get("/backward", response_model=TraceResult, summary="Everything an item, lot or container was made from")
def backward(db: DB, id: IdParam) -> TraceResult:
    return service.trace(db, epc_of(db, id), "backward")
