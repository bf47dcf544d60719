from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request, Response

from api.auth import require
from api.deps import DB, epc_of
from tracegraph.trace import service
from tracegraph.trace.models import TraceResult

router = APIRouter(prefix="/v1/trace", tags=["trace"], dependencies=[Depends(require("trace:read"))])

# Traces stay sync routes (anyio's threadpool): a page of 100,000 serials takes seconds, and on
# api.deps' small executor a few of them would hold up the single-serial reads.
# Without `limit`, a trace of up to this many serials comes whole (as it always did); a
# bigger one comes in pages of this size, with a `next` link.
DEFAULT_PAGE = 10_000

IdParam = Annotated[str, Query(min_length=1, max_length=512,
                               description="EPC URN (sgtin, sscc, lgtin class) or GS1 Digital Link URI")]
Limit = Annotated[int | None, Query(ge=1, le=100_000, description=f"serials per page (default {DEFAULT_PAGE:,})")]
After = Annotated[str | None, Query(min_length=1, max_length=512,
                                    description="cursor: the last serial of the previous page (from `next`)")]


def _trace(request: Request, db: DB, id: str, direction: str, limit: int | None, after: str | None) -> Response:
    found = service.page(db, epc_of(db, id), direction, limit or DEFAULT_PAGE, after)
    link = None
    if found.cursor is not None:
        query = {"id": id, "after": found.cursor} | ({"limit": limit} if limit else {})
        link = f"{request.url.path}?{urlencode(query)}"
    return Response(found.json(link), media_type="application/json")


@router.get("/forward", response_model=TraceResult,
            summary="Everything made from, and everywhere reached by, an item, lot or container (paged)")
def forward(request: Request, db: DB, id: IdParam, limit: Limit = None, after: After = None) -> Response:
    return _trace(request, db, id, "forward", limit, after)


@router.get("/backward", response_model=TraceResult,
            summary="Everything an item, lot or container was made from (paged)")
def backward(request: Request, db: DB, id: IdParam, limit: Limit = None, after: After = None) -> Response:
    return _trace(request, db, id, "backward", limit, after)
