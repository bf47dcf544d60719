from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from api.auth import require
from api.deps import DB
from core.requests import Instant
from tracegraph.audit import service
from tracegraph.audit.models import AuditRecord, VerifyReport

router = APIRouter(prefix="/v1/audit", tags=["audit"], dependencies=[Depends(require("audit:read"))])
Text = Annotated[str | None, Query(max_length=512)]


@router.get("", response_model=list[AuditRecord], summary="Audit records in chain order, filtered")
def list_records(db: DB, subject: Text = None, actor: Text = None, action: Text = None,
                 start: Annotated[Instant | None, Query(alias="from", description="inclusive, ISO 8601")] = None,
                 end: Annotated[Instant | None, Query(alias="to", description="exclusive, ISO 8601")] = None,
                 after: Annotated[int, Query(ge=0, le=2**62, description="records after this sequence number")] = 0,
                 limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[AuditRecord]:
    return service.list_records(db, subject=subject, actor=actor, action=action, start=start, end=end,
                                after=after, limit=limit)


@router.get("/verify", response_model=VerifyReport,
            summary="Check the chain and every signature; name the first bad record")
def verify(db: DB) -> VerifyReport:
    return service.verify(db)


@router.get("/export", response_class=StreamingResponse, summary="Every record as JSON Lines, with the chain",
            responses={200: {"description": "One audit record per line; X-Audit-Public-Key verifies them",
                             "content": {"application/jsonl": {"schema": {"type": "string"},
                                                               "example": '{"seq":1,"action":"user.create"}\n'}}}})
def export(db: DB) -> StreamingResponse:
    return StreamingResponse(service.export(db), media_type="application/jsonl",
                             headers={"Content-Disposition": 'attachment; filename="audit.jsonl"',
                                      "X-Audit-Public-Key": service.public_key_hex()})
