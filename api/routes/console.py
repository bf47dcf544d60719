"""The web console (api/console/, vendored npm assets under api/console/vendor/) and the API
docs pages, all served from the package: nothing is fetched from a CDN at run time."""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

ROOT = Path(__file__).resolve().parents[1] / "console"
STATIC = "/static"
ICON = f"{STATIC}/favicon.svg"
# The console runs only its own scripts; styles may be set inline by the chart and graph libraries.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")

router = APIRouter(include_in_schema=False)


def _index() -> FileResponse:
    return FileResponse(ROOT / "index.html", media_type="text/html",
                        headers={"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                                 "Referrer-Policy": "no-referrer", "Cache-Control": "no-cache"})


@router.get("/")
def console() -> FileResponse:
    return _index()


@router.get("/console/{rest:path}")
def console_page(rest: str) -> FileResponse:
    """Deep links such as /console/serial/<epc> (the Digital Link resolver sends browsers here)."""
    return _index()


@router.get("/docs")
def swagger() -> HTMLResponse:
    return get_swagger_ui_html(openapi_url="/openapi.json", title="tracegraph API",
                               oauth2_redirect_url="/docs/oauth2-redirect",
                               swagger_js_url=f"{STATIC}/vendor/swagger-ui-bundle.js",
                               swagger_css_url=f"{STATIC}/vendor/swagger-ui.css", swagger_favicon_url=ICON)


@router.get("/docs/oauth2-redirect")
def swagger_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()


@router.get("/redoc")
def redoc() -> HTMLResponse:
    return get_redoc_html(openapi_url="/openapi.json", title="tracegraph API",
                          redoc_js_url=f"{STATIC}/vendor/redoc.standalone.js", redoc_favicon_url=ICON,
                          with_google_fonts=False)


def install(app) -> None:
    app.mount(STATIC, StaticFiles(directory=ROOT), name="static")
