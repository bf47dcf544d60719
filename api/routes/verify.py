import asyncio
import time
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from api import problems
from api.auth import Principal, require
from api.deps import epc_of_async, in_thread, json_response
from core.errors import NotFound
from tracegraph.identity import cached_prefixes, canonical_epc_for_partner
from tracegraph.security.models import PGLN
from tracegraph.verify import service
from tracegraph.verify.models import Verification

router = APIRouter(prefix="/v1/verify", tags=["verify"])
allowed = require("verify:read")


async def at_least(started: float, seconds: float) -> None:
    """Wait until `seconds` after `started` (time.monotonic()): partners' 404s all take as long."""
    left = started + seconds - time.monotonic()
    if left > 0:
        await asyncio.sleep(left)


# The partners' hot path (tracegraph bench verify): one dependency (the permission check,
# which yields the principal); the identifier is converted here (company prefixes are
# cached) and the lookup is batched with concurrent ones (graph/coalesce.py).
@router.get("", response_model=Verification, summary="Is this serial genuine, recalled, decommissioned, and yours?",
            description="A partner learns only about serials its party shipped, received or holds; any other "
                        "serial, and an identifier whose company prefix is unknown, answers the same 404 "
                        "(after the same minimum time), so nothing about other parties leaks.",
            responses=problems.responses(404))
async def verify(request: Request, id: Annotated[str, Query(min_length=1, max_length=512,
                 description="SGTIN EPC URN, GS1 Digital Link or element string",
                 examples=["urn:epc:id:sgtin:0614141.812345.1"])],
                 party: Annotated[str | None, Query(
                     pattern=PGLN, max_length=40, description="Internal callers: ask about this party (PGLN)")] = None,
                 principal: Principal = Depends(allowed)) -> Response:
    db = request.app.state.db
    if not principal.is_partner:
        found = await service.verify(db, await epc_of_async(db, id), principal, party)
    else:
        started = time.monotonic()
        try:
            prefixes = cached_prefixes(db)  # usually cached: convert here, no worker-thread hop
            epc = (canonical_epc_for_partner(db, id, prefixes=prefixes) if prefixes is not None
                   else await in_thread(canonical_epc_for_partner, db, id))
            found = await service.verify(db, epc, principal, party)
        except NotFound:
            await at_least(started, db.settings.partner_not_found_seconds)
            raise
    return json_response(found)
