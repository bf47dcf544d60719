"""Console log-in: a user + password, or an API key, becomes a session cookie (HttpOnly,
SameSite=Strict, Secure) plus a readable CSRF cookie that writes echo in a header."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, ValidationError, model_validator
from starlette.concurrency import run_in_threadpool

from api import problems
from api.auth import Principal, credential, current_principal
from api.deps import DB
from api.guard import is_json
from core import fastjson
from core.errors import InvalidJson, Unauthorized, UnsupportedMediaType
from core.requests import RequestModel
from tracegraph.security import roles, sessions
from tracegraph.security.models import USER_NAME

router = APIRouter(prefix="/v1/session", tags=["session"])


class Login(RequestModel):
    user: str | None = Field(None, pattern=USER_NAME, max_length=64,
                             description="log in with a user name and password...")
    password: str | None = Field(None, min_length=1, max_length=256)
    api_key: str | None = Field(None, min_length=1, max_length=128, description="...or with an API key")

    @model_validator(mode="after")
    def _one_way(self) -> Login:
        if bool(self.api_key) == bool(self.user or self.password):
            raise ValueError("give either user and password, or api_key")
        if not self.api_key and not (self.user and self.password):
            raise ValueError("give both user and password")
        return self


class Me(BaseModel):
    user: str
    roles: list[str]
    party: str | None
    via: str
    permissions: list[str] = Field(description="what this principal may do (tracegraph/security/roles.py)")
    csrf_token: str | None = Field(None, description="send it as X-CSRF-Token on writes made with the cookie")


def _me(principal: Principal, csrf: str | None = None) -> Me:
    allowed = [p for p in roles.PERMISSIONS if roles.allows(principal.roles, p)]
    return Me(user=principal.id, roles=sorted(principal.roles), party=principal.party, via=principal.via,
              permissions=allowed, csrf_token=csrf)


LOGIN_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": Login.model_json_schema()}}},
              "security": [{}]}  # public: the credentials are in the body


async def _login_body(request: Request) -> Login:
    """Read here, not by FastAPI: the Guard checks JSON only after authentication, and this
    route is where a caller without credentials gets them; the same strict rules apply."""
    content_type = request.headers.get("content-type", "")
    if not is_json(content_type):
        raise UnsupportedMediaType(f"this route reads JSON; Content-Type was {content_type!r}", field="Content-Type")
    try:
        data = fastjson.loads(await request.body())
        fastjson.check_limits(data)
    except fastjson.JsonRefused as exc:
        raise InvalidJson(exc.reason, field=exc.field) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidJson(f"not valid JSON: {exc}", field="body") from exc
    try:
        return Login.model_validate(data)
    except ValidationError as exc:
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]) from exc


@router.post("", response_model=Me, summary="Log in: set the console's session cookie",
             openapi_extra=LOGIN_BODY, responses=problems.responses(401))
async def login(db: DB, request: Request, response: Response) -> Me:
    body = await _login_body(request)
    kind, subject, principal = await run_in_threadpool(
        sessions.login, db, user=body.user, password=body.password, api_key=body.api_key,
        request_id=request.scope.get("state", {}).get("request_id"))
    settings = db.settings
    token, csrf = sessions.issue(sessions.server_key(settings.session_key_path), kind, subject,
                                 settings.session_hours)
    age = int(settings.session_hours * 3600)
    common = {"max_age": age, "path": "/", "secure": settings.session_cookie_secure, "samesite": "strict"}
    response.set_cookie(sessions.COOKIE, token, httponly=True, **common)
    response.set_cookie(sessions.CSRF_COOKIE, csrf, httponly=False, **common)
    return _me(principal, csrf)


@router.get("", response_model=Me, summary="Who is logged in, and what they may do")
def whoami(principal: Principal = Depends(current_principal)) -> Me:
    return _me(principal)


@router.delete("", status_code=204, summary="Log out: clear the session cookie",
               openapi_extra={"security": [{}]}, responses=problems.responses(401))
def logout(db: DB, request: Request) -> Response:
    if sessions.COOKIE not in request.cookies and credential(request) is None:
        raise Unauthorized("no session to log out of")
    response = Response(status_code=204)
    for name in (sessions.COOKIE, sessions.CSRF_COOKIE):
        response.delete_cookie(name, path="/", secure=db.settings.session_cookie_secure, samesite="strict")
    return response
