"""Recall campaigns under /v1/recalls: the same operations and field names as `tracegraph recall`.
Partners see and answer only their own notices; anything else is a 404 to them."""
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import Field

from api.auth import Principal, require
from api.deps import DB
from core.requests import RequestModel
from tracegraph.campaigns import delivery, render, reports, service
from tracegraph.campaigns.enums import Format, Report, State
from tracegraph.campaigns.errors import NotInCampaign
from tracegraph.campaigns.models import (
    Acknowledgement,
    Campaign,
    CampaignList,
    CampaignRequest,
    Check,
    CheckList,
    CheckRequest,
    CheckResultRequest,
    DeliveryList,
    Notice,
    NoticePage,
    NotifyResult,
    Rescope,
    RescopeRequest,
    ReturnsRequest,
    ReturnsResult,
    Status,
)
from tracegraph.security import esign, roles

router = APIRouter(prefix="/v1/recalls", tags=["recall campaigns"])

CampaignId = Annotated[str, Path(min_length=1, max_length=64)]
READ, WRITE = Depends(require("recalls:read")), Depends(require("recalls:write"))
NOTICES_READ = Depends(require("notices:read"))
NOTICES_RESPOND = Depends(require("notices:respond"))


def _party(principal: Principal) -> str | None:
    """None for internal callers; a partner's own party (never None: no party sees nothing)."""
    if roles.allows(principal.roles, "recalls:read"):
        return None
    return principal.party or "urn:tracegraph:no-party"


class CloseRequest(RequestModel):
    reason: str | None = Field(None, max_length=2000)
    signature: esign.Signature | None = None  # required (21 CFR 11): password again and meaning


@router.post("", response_model=Campaign, status_code=201,
             summary="Start a recall campaign from a recall scope (snapshotted) with a notice per consignee")
def create(db: DB, body: CampaignRequest, principal: Principal = WRITE) -> Campaign:
    return service.create(db, body, actor=principal.id)


@router.get("", response_model=CampaignList, summary="Recall campaigns, newest first", dependencies=[READ])
def list_campaigns(db: DB, state: State | None = None,
                   limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> CampaignList:
    return CampaignList(campaigns=service.list_campaigns(db, state, limit))


# Declared before /{id} so "notices" is never taken for a campaign id.
@router.get("/notices", response_model=NoticePage,
            summary="Notices across campaigns, newest campaign first (a partner: its own issued ones only)")
def all_notices(db: DB, request: Request, response: Response,
                site: Annotated[str | None, Query(min_length=1, max_length=512, description="consignee site")] = None,
                party: Annotated[str | None, Query(min_length=1, max_length=512,
                                                   description="consignee party (PGLN URN); "
                                                               "ignored for partners")] = None,
                campaign: Annotated[str | None, Query(min_length=1, max_length=64,
                                                      description="one campaign; unknown: an empty page")] = None,
                limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
                principal: Principal = NOTICES_READ) -> NoticePage:
    own = _party(principal)
    page = service.all_notices(db, party=own or party, partner=own is not None, site=site, campaign=campaign,
                               limit=limit, offset=offset)
    if page.next_offset is not None:  # the next page's address, as RFC 8288 Link
        response.headers["Link"] = f'<{request.url.include_query_params(offset=page.next_offset)}>; rel="next"'
    return page


@router.get("/{id}", response_model=Campaign, summary="A recall campaign", dependencies=[READ])
def get(db: DB, id: CampaignId) -> Campaign:
    return service.get(db, id)


@router.get("/{id}/notices", response_model=list[Notice],
            summary="The notices, one per consignee site (a partner: only its own)")
def notices(db: DB, id: CampaignId, principal: Principal = NOTICES_READ) -> list[Notice]:
    return service.notices(db, id, _party(principal))


@router.get("/{id}/notices/{site:path}", summary="One notice as JSON, HTML (with the reply form) or PDF",
            response_model=Notice,
            responses={200: {"content": {"text/html": {}, "application/pdf": {}}}})
def notice(request: Request, db: DB, id: CampaignId, site: str,
           format: Annotated[Format, Query(description="json | html | pdf")] = Format.json,
           principal: Principal = NOTICES_READ):
    found = service.notice(db, id, site, _party(principal))
    if format == Format.json:
        return found
    camp = service.get(db, id)
    url = delivery.reply_url(db.settings, id)
    if format == Format.html:
        return HTMLResponse(render.notice_html(camp, found, url))
    if format == Format.pdf:
        return Response(render.notice_pdf(camp, found, url), media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="recall-notice-{found.id}.pdf"'})
    raise NotInCampaign("a notice is json, html or pdf", field="format")


@router.post("/{id}/notify", response_model=NotifyResult,
             summary="Issue the draft notices and deliver them (e-mail, signed webhook) in the background")
def notify(db: DB, id: CampaignId, principal: Principal = WRITE) -> NotifyResult:
    issued = service.notify(db, id, actor=principal.id)
    sendable = [n.id for n in service.notices(db, id) if n.id in issued and delivery.channels(db.settings, n)]
    if sendable:
        delivery.in_background(db, id, sendable)
    return NotifyResult(issued=len(issued), deliveries_queued=len(sendable))


@router.get("/{id}/deliveries", response_model=DeliveryList, summary="Every delivery of the notices, with attempts",
            dependencies=[READ])
def deliveries(db: DB, id: CampaignId) -> DeliveryList:
    return DeliveryList(deliveries=service.deliveries(db, id))


@router.post("/{id}/acknowledgements", response_model=Notice,
             summary="A consignee acknowledges its notice (and says how many units it has on hand)")
def acknowledge(db: DB, id: CampaignId, body: Acknowledgement,
                principal: Principal = NOTICES_RESPOND) -> Notice:
    return service.acknowledge(db, id, body.site, body.units_on_hand, body.note, actor=principal.id,
                               party=_party(principal))


@router.post("/{id}/returns", response_model=ReturnsResult,
             summary="Record units returned, corrected, destroyed or justified (per serial, or per consignee)")
def returns(db: DB, id: CampaignId, body: ReturnsRequest,
            principal: Principal = NOTICES_RESPOND) -> ReturnsResult:
    party = _party(principal)
    units = body.units or service.site_units(db, id, body.site, body.disposition, body.note, party)
    return ReturnsResult(recorded=service.record_units(db, id, units, actor=principal.id, party=party))


@router.get("/{id}/status", response_model=Status,
            summary="Live progress: consignees notified/responded, units returned/corrected/destroyed/outstanding",
            dependencies=[READ])
def status(db: DB, id: CampaignId) -> Status:
    return service.status(db, id)


@router.get("/{id}/rescope", response_model=Rescope,
            summary="What the data says now against the snapshot (nothing changes)", dependencies=[READ])
def rescope(db: DB, id: CampaignId) -> Rescope:
    return service.rescope(db, id)


@router.post("/{id}/rescope", response_model=Rescope, summary="Add new consignee sites (draft notices; then notify)")
def add_consignees(db: DB, id: CampaignId, body: RescopeRequest, principal: Principal = WRITE) -> Rescope:
    return service.add_consignees(db, id, body.sites, actor=principal.id)


@router.post("/{id}/effectiveness-checks", response_model=Check, status_code=201,
             summary="Draw the sample of consignees for a 21 CFR 7.42 level (A-E), seeded and recorded")
def create_check(db: DB, id: CampaignId, body: CheckRequest, principal: Principal = WRITE) -> Check:
    return service.create_check(db, id, body, actor=principal.id)


@router.get("/{id}/effectiveness-checks", response_model=CheckList, summary="Effectiveness checks and results",
            dependencies=[READ])
def list_checks(db: DB, id: CampaignId) -> CheckList:
    return CheckList(checks=service.checks(db, id))


@router.post("/{id}/effectiveness-checks/{check_id}/results", response_model=Check,
             summary="Record the result of checking one sampled consignee")
def record_check(db: DB, id: CampaignId, check_id: Annotated[str, Path(min_length=1, max_length=64)],
                 body: CheckResultRequest, principal: Principal = WRITE) -> Check:
    return service.record_check(db, id, check_id, body, actor=principal.id)


@router.get("/{id}/reports/{kind}", summary="Regulator reports: cfr806, status (7.53), fsca; JSON, PDF or XLSX",
            dependencies=[READ], responses={200: {"content": {
                "application/json": {"schema": {"type": "object"}, "example": {"campaign": "RC-2026-0001"}},
                "application/pdf": {"schema": {"type": "string", "format": "binary"}, "example": "..."},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                    "schema": {"type": "string", "format": "binary"}, "example": "..."}}}})
def report(db: DB, id: CampaignId, kind: Report,
           format: Annotated[Format, Query(description="json | pdf | xlsx")] = Format.json):
    data = reports.build(db, id, kind)
    name = f"recall-{id}-{kind.value}"
    if format == Format.pdf:
        return Response(reports.pdf(kind, data), media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'})
    if format == Format.xlsx:
        return Response(reports.xlsx(data),
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})
    if format == Format.html:
        raise NotInCampaign("a report is json, pdf or xlsx", field="format")
    return JSONResponse(data)


@router.post("/{id}/close", response_model=Campaign,
             summary="Terminate the recall: every unit accounted for, with an e-signature; else 409 with the list")
def close(db: DB, id: CampaignId, body: CloseRequest, principal: Principal = WRITE) -> Campaign:
    service.outstanding(db, id)  # 404 before asking for a signature
    with esign.signed(esign.check(db, principal, body.signature)):
        return service.close(db, id, actor=principal.id, reason=body.reason)
