from typing import Annotated

from fastapi import APIRouter, Depends, Query
from starlette.concurrency import run_in_threadpool

from api.auth import Principal, current_principal, require
from api.deps import DB, epc_of
from tracegraph.security.models import PGLN
from tracegraph.verify import service
from tracegraph.verify.models import Verification

router = APIRouter(prefix="/v1/verify", tags=["verify"], dependencies=[Depends(require("verify:read"))])


@router.get("", response_model=Verification, summary="Is this serial genuine, recalled, decommissioned, and yours?")
async def verify(db: DB, id: Annotated[str, Query(min_length=1, max_length=512,
                                            description="SGTIN EPC URN, GS1 Digital Link or element string")],
           party: Annotated[str | None, Query(pattern=PGLN, max_length=40,
                                              description="Internal callers: ask about this party (PGLN)")] = None,
           principal: Principal = Depends(current_principal)) -> Verification:
    # async with one pool hop for all the database work: the partners' hot path (bench verify)
    return await run_in_threadpool(lambda: service.verify(db, epc_of(db, id), principal, party))
