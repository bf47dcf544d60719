from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Response

from api.auth import require
from api.deps import DB, epc_of
from core.requests import Instant
from tracegraph.serials import service
from tracegraph.serials.models import Serial, Timeline

router = APIRouter(prefix="/v1/serials", tags=["serials"], dependencies=[Depends(require("serials:read"))])

SerialId = Annotated[str, Path(min_length=1, max_length=512,
                               description="SGTIN EPC URN or GS1 Digital Link URI (URL-encoded)")]


@router.get("/{id:path}/timeline", response_model=Timeline, summary="Every event that saw the serial, in time order",
            responses={200: {"content": {"text/csv": {}}}})
def timeline(db: DB, id: SerialId,
             start: Annotated[Instant | None, Query(alias="from", description="events at or after")] = None,
             end: Annotated[Instant | None, Query(alias="to", description="events at or before")] = None,
             biz_step: Annotated[list[str] | None, Query(max_length=20, description="only these business steps")] = None,
             format: Annotated[Literal["json", "csv"], Query(description="json, or csv to export")] = "json"):
    result = service.timeline(db, epc_of(db, id), start, end, biz_step)
    if format == "csv":
        return Response(service.timeline_csv(result), media_type="text/csv",
                        headers={"Content-Disposition": 'attachment; filename="timeline.csv"'})
    return result


@router.get("/{id:path}", response_model=Serial, summary="Product, lot, status, current site and container")
def get_serial(db: DB, id: SerialId) -> Serial:
    return service.get_serial(db, epc_of(db, id))
