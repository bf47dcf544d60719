from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from api import problems
from api.auth import Principal, require
from api.deps import DB
from core.requests import MAX_OFFSET, Instant
from tracegraph.alerts import service
from tracegraph.alerts.enums import CLOSED, Severity, State
from tracegraph.alerts.models import Alert, AlertPage, Delivery, TransitionRequest
from tracegraph.security import esign

router = APIRouter(prefix="/v1/alerts", tags=["alerts"], dependencies=[Depends(require("alerts:read"))])

AlertId = Annotated[str, Path(min_length=1, max_length=64)]


class SignedTransition(TransitionRequest):
    signature: esign.Signature | None = None  # closing (resolved, false_positive) needs it: 21 CFR 11


@router.get("", response_model=AlertPage, summary="Alerts, newest first, filtered")
def list_alerts(db: DB, state: State | None = None, rule: Annotated[str | None, Query(max_length=64)] = None,
                severity: Severity | None = None, team: Annotated[str | None, Query(max_length=100)] = None,
                subject: Annotated[str | None, Query(max_length=512)] = None,
                since: Annotated[Instant | None, Query(description="created at or after (ISO 8601)")] = None,
                until: Annotated[Instant | None, Query(description="created before (ISO 8601)")] = None,
                limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0, *, request: Request,
                response: Response) -> AlertPage:
    page = service.list_alerts(db, state=state.value if state else None, rule=rule,
                               severity=severity.value if severity else None, team=team, subject=subject,
                               since=since, until=until, limit=limit, offset=offset)
    if page.next_offset is not None:  # the next page's address, as RFC 8288 Link
        response.headers["Link"] = f'<{request.url.include_query_params(offset=page.next_offset)}>; rel="next"'
    return page


@router.get("/deliveries", response_model=list[Delivery], summary="Webhook delivery log, newest first")
def delivery_log(db: DB, alert: Annotated[str | None, Query(max_length=64)] = None,
                 limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[Delivery]:
    return service.deliveries(db, alert, limit)


@router.get("/{id}", response_model=Alert, summary="One alert with its life-cycle steps")
def get_alert(db: DB, id: AlertId) -> Alert:
    return service.get_alert(db, id)


@router.post("/{id}/transitions", response_model=Alert,
             summary="Move an alert: open → acknowledged → investigating → resolved | false_positive",
             responses=problems.responses(409))
def transition(db: DB, id: AlertId, body: SignedTransition,
               principal: Principal = Depends(require("alerts:write"))) -> Alert:
    signature = esign.check(db, principal, body.signature) if body.to in CLOSED else None
    with esign.signed(signature):
        return service.transition(db, id, body.to, principal=principal.id, reason=body.reason)
