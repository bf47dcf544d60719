from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from api.auth import Principal, require
from api.deps import epc_of_async
from tracegraph.security.models import PGLN
from tracegraph.verify import service
from tracegraph.verify.models import Verification

router = APIRouter(prefix="/v1/verify", tags=["verify"])
allowed = require("verify:read")


# The partners' hot path (tracegraph bench verify): one dependency (the permission check,
# which yields the principal); the identifier is converted here (company prefixes are
# cached) and the lookup is batched with concurrent ones (graph/coalesce.py).
@router.get("", response_model=Verification, summary="Is this serial genuine, recalled, decommissioned, and yours?")
async def verify(request: Request, id: Annotated[str, Query(min_length=1, max_length=512,
                 description="SGTIN EPC URN, GS1 Digital Link or element string")],
                 party: Annotated[str | None, Query(pattern=PGLN, max_length=40,
                                                    description="Internal callers: ask about this party (PGLN)")] = None,
                 principal: Principal = Depends(allowed)) -> Response:
    db = request.app.state.db
    found = await service.verify(db, await epc_of_async(db, id), principal, party)
    # the model was validated when built: serialize it once, not again through the response model
    return Response(found.model_dump_json(), media_type="application/json")
