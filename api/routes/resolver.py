"""GS1 Digital Link resolver: GET /01/{gtin}/21/{serial}, /01/{gtin}/10/{lot}, /00/{sscc}
(qualifiers and the short names /gtin/, /ser/, /lot/, /sscc/ too).

Answers: `Accept: text/html` → 307 to the console page; `?linkType=gs1:pip` (or any link
type) → 307 to that link (the default link when the key has none of that type);
otherwise the linkset (RFC 9264, application/linkset+json). An unknown key, or one a
partner's party never handled, is a 404 problem."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from api import problems
from api.auth import Principal, require
from api.deps import epc_of_async
from core.errors import NotFound, TracegraphError
from tracegraph.resolver import service

LINKSET = "application/linkset+json"
router = APIRouter(tags=["resolver"])
allowed = require("verify:read")


def _wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept and LINKSET not in accept and "application/json" not in accept.split("text/html")[0]


async def _resolve(request: Request, principal: Principal) -> Response:
    db = request.app.state.db
    params = {k: v for k, v in request.query_params.items() if k not in ("linkType", "context")}
    uri = "https://id.gs1.org" + request.url.path + (
        "?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")
    try:
        epc = await epc_of_async(db, uri, "key")
    except TracegraphError as exc:  # not a Digital Link of a key we know: as unknown as a key can be
        raise NotFound(f"{request.url.path} is not a Digital Link this resolver knows ({exc.detail})",
                       field="key") from exc
    base = str(request.base_url).rstrip("/")
    found = await service.resolve(db, epc, principal, base)
    link_type = request.query_params.get("linkType")
    if link_type and link_type not in ("all", "linkset"):
        target = found.target(link_type) or found.target("defaultLink")
        return RedirectResponse(target, status_code=307)
    if not link_type and _wants_html(request):
        return RedirectResponse(found.target("defaultLink"), status_code=307)
    media = "application/json" if "application/json" in request.headers.get("accept", "") and \
        LINKSET not in request.headers.get("accept", "") else LINKSET
    return JSONResponse(found.linkset(), media_type=media, headers={
        "Link": f'<{request.url}>; rel="linkset"; type="{LINKSET}"', "Vary": "Accept"})


_LINKSET_EXAMPLE = {"linkset": [{"anchor": "https://id.gs1.org/01/09506000134352/21/1",
                                 "https://gs1.org/voc/defaultLink": [{"href": "https://example.com/item",
                                                                      "title": "the item"}]}]}
RESPONSES = {200: {"description": "The linkset (RFC 9264)", "content": {
                 LINKSET: {"schema": {"type": "object"}, "example": _LINKSET_EXAMPLE},
                 "application/json": {"schema": {"type": "object"}, "example": _LINKSET_EXAMPLE}}},
             307: {"description": "Redirect to the link asked for with linkType, or to the console for a browser"},
             **problems.responses(404)}
SUMMARY = "Resolve a GS1 Digital Link (linkset, or 307 to one link or the console)"


@router.get("/01/{gtin}/{rest:path}", response_class=JSONResponse, summary=SUMMARY, responses=RESPONSES)
async def gtin_key(request: Request, gtin: str, rest: str, principal: Principal = Depends(allowed)) -> Response:
    return await _resolve(request, principal)


@router.get("/gtin/{gtin}/{rest:path}", response_class=JSONResponse, summary=SUMMARY + "; short names",
            responses=RESPONSES)
async def gtin_short(request: Request, gtin: str, rest: str, principal: Principal = Depends(allowed)) -> Response:
    return await _resolve(request, principal)


@router.get("/00/{sscc}", response_class=JSONResponse, summary=SUMMARY, responses=RESPONSES)
async def sscc_key(request: Request, sscc: str, principal: Principal = Depends(allowed)) -> Response:
    return await _resolve(request, principal)


@router.get("/sscc/{sscc}", response_class=JSONResponse, summary=SUMMARY + "; short name", responses=RESPONSES)
async def sscc_short(request: Request, sscc: str, principal: Principal = Depends(allowed)) -> Response:
    return await _resolve(request, principal)
