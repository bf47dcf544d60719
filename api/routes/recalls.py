from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response
from fastapi.responses import StreamingResponse

from api.auth import Forbidden, Principal, require
from api.deps import DB
from tracegraph.recalls import export, service
from tracegraph.recalls.enums import ExportFormat
from tracegraph.recalls.models import SavedScope, ScopeRequest, ScopeResult
from tracegraph.security import roles

router = APIRouter(prefix="/v1/recall-scope", tags=["recalls"], dependencies=[Depends(require("recalls:read"))])


@router.post("", response_model=ScopeResult,
             summary="Which serials and which customers a problem reaches: summary, aggregations, a page of detail")
def recall_scope(db: DB, body: ScopeRequest, principal: Principal = Depends(require("recalls:read"))) -> Response:
    if body.save and not roles.allows(principal.roles, "recalls:write"):
        raise Forbidden("saving a recall scope needs the permission 'recalls:write'", field="save")
    # the model's JSON as is: FastAPI would dump, validate again and encode the model (three passes)
    return Response(service.scope(db, body, actor=principal.id).model_dump_json(), media_type="application/json")


@router.post("/export", summary="The whole scope as CSV, XLSX (a sheet per view), JSON, or a consignee list",
             response_class=StreamingResponse,
             responses={200: {"description": "The scope in the asked format (a download)", "content": {
                 "text/csv": {"schema": {"type": "string"}, "example": "epc,gtin,lot,status\n"},
                 "application/json": {"schema": {"type": "array", "items": {"type": "object"}},
                                      "example": [{"epc": "urn:epc:id:sgtin:0614141.812345.1"}]},
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                     "schema": {"type": "string", "format": "binary"}, "example": "(XLSX workbook)"}}}})
def export_scope(db: DB, body: ScopeRequest,
                 format: Annotated[ExportFormat,
                                   Query(description="csv | xlsx | json | consignees")] = ExportFormat.csv):
    scope = service.compute(db, body)
    suffix = {ExportFormat.consignees: "consignees.csv"}.get(format, format.value)
    return StreamingResponse(export.stream(db, scope, format), media_type=export.MEDIA[format],
                             headers={"Content-Disposition": f'attachment; filename="recall-scope.{suffix}"'})


@router.get("/{id}", response_model=SavedScope, summary="A saved recall scope: its question and serials")
def saved(db: DB, id: Annotated[str, Path(min_length=1, max_length=64)]) -> SavedScope:
    return SavedScope(**service.saved_scope(db, id))
