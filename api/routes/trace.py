from collections.abc import Iterator
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import StreamingResponse

from api.auth import require
from api.deps import DB, TRACES, epc_of, in_thread
from tracegraph.trace import service
from tracegraph.trace.models import TraceResult

router = APIRouter(prefix="/v1/trace", tags=["trace"], dependencies=[Depends(require("trace:read"))])

# A trace runs on api.deps' trace threads: a page of 100,000 serials takes seconds, and on its
# small executor a few of them would hold up the single-serial reads. (Not a sync route: a plain
# executor hop is cheaper than anyio's threadpool, see api/deps.py, and a one-serial trace is hot.)
# Without `limit`, a trace of up to this many serials comes whole (as it always did); a
# bigger one comes in pages of this size, with a `next` link.
DEFAULT_PAGE = 10_000

IdParam = Annotated[str, Query(min_length=1, max_length=512,
                               description="EPC URN (sgtin, sscc, lgtin class) or GS1 Digital Link URI")]
Limit = Annotated[int | None, Query(ge=1, le=100_000, description=f"serials per page (default {DEFAULT_PAGE:,})")]
After = Annotated[str | None, Query(min_length=1, max_length=512,
                                    description="cursor: the last serial of the previous page (from `next`)")]


NDJSON = "application/x-ndjson"
STREAMED = {200: {"content": {NDJSON: {"schema": {"type": "string"}}},
                  "description": f"With `Accept: {NDJSON}`: the whole trace (from `after`, if given), one page "
                                 "of `limit` serials per line, each line a trace answer whose `next` is null; "
                                 "the lines' serials concatenated, and their other lists united, are the "
                                 "unpaged answer"}}


def _trace(request: Request, db: DB, id: str, direction: str, limit: int | None, after: str | None) -> Response:
    epc = epc_of(db, id)
    first = service.page(db, epc, direction, limit or DEFAULT_PAGE, after)  # errors before any line is sent
    if NDJSON in request.headers.get("accept", ""):
        return StreamingResponse(_lines(db, first, limit or DEFAULT_PAGE), media_type=NDJSON)
    link = None
    if first.cursor is not None:
        query = {"id": id, "after": first.cursor} | ({"limit": limit} if limit else {})
        link = f"{request.url.path}?{urlencode(query)}"
    return Response(first.json(link), media_type="application/json")


def _lines(db: DB, page: service.Page, limit: int) -> Iterator[bytes]:
    """Each page as one line, the next read when the client has taken the last (a sync
    generator: Starlette runs it on the threadpool)."""
    while True:
        yield page.json() + b"\n"
        if page.cursor is None:
            return
        page = service.page(db, page.root, page.direction, limit, page.cursor)


@router.get("/forward", response_model=TraceResult, responses=STREAMED,
            summary="Everything made from, and everywhere reached by, an item, lot or container (paged)")
async def forward(request: Request, db: DB, id: IdParam, limit: Limit = None, after: After = None) -> Response:
    return await in_thread(_trace, request, db, id, "forward", limit, after, pool=TRACES)


@router.get("/backward", response_model=TraceResult, responses=STREAMED,
            summary="Everything an item, lot or container was made from (paged)")
async def backward(request: Request, db: DB, id: IdParam, limit: Limit = None, after: After = None) -> Response:
    return await in_thread(_trace, request, db, id, "backward", limit, after, pool=TRACES)
