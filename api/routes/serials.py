from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Response

from api.auth import require
from api.deps import DB, epc_of_async, in_thread, json_response
from core.requests import Instant
from tracegraph.serials import service
from tracegraph.serials.models import Serial, Timeline

router = APIRouter(prefix="/v1/serials", tags=["serials"], dependencies=[Depends(require("serials:read"))])

SerialId = Annotated[str, Path(min_length=1, max_length=512,
                               description="SGTIN EPC URN or GS1 Digital Link URI (URL-encoded)")]


# Async, one query each (cypher/serials/serial.cypher) on a plain thread hop: the routes
# partners' systems and the console call per serial (issue 16: p50 <= 2 ms with HTTP).
@router.get("/{id:path}/timeline", response_model=Timeline, summary="Every event that saw the serial, in time order",
            responses={200: {"content": {"text/csv": {}}}})
async def timeline(db: DB, id: SerialId,
                   start: Annotated[Instant | None, Query(alias="from", description="events at or after")] = None,
                   end: Annotated[Instant | None, Query(alias="to", description="events at or before")] = None,
                   biz_step: Annotated[list[str] | None, Query(max_length=20,
                                                               description="only these business steps")] = None,
                   format: Annotated[Literal["json", "csv"], Query(description="json, or csv to export")] = "json"):
    result = await in_thread(service.timeline, db, await epc_of_async(db, id), start, end, biz_step)
    if format == "csv":
        return Response(service.timeline_csv(result), media_type="text/csv",
                        headers={"Content-Disposition": 'attachment; filename="timeline.csv"'})
    return json_response(result)


@router.get("/{id:path}", response_model=Serial, summary="Product, lot, status, current site and container")
async def get_serial(db: DB, id: SerialId) -> Response:
    return json_response(await in_thread(service.get_serial, db, await epc_of_async(db, id)))
