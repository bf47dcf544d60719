"""Console log-in: a user + password, or an API key, becomes a session cookie (HttpOnly,
SameSite=Strict, Secure) plus a readable CSRF cookie that writes echo in a header."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator
from starlette.concurrency import run_in_threadpool

from api.auth import Principal, current_principal
from api.deps import DB
from tracegraph.security import roles, sessions
from tracegraph.security.models import USER_NAME

router = APIRouter(prefix="/v1/session", tags=["session"])


class Login(BaseModel):
    model_config = ConfigDict(extra="forbid")
    user: str | None = Field(None, pattern=USER_NAME, description="log in with a user name and password...")
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


@router.post("", response_model=Me, summary="Log in: set the console's session cookie")
async def login(db: DB, body: Login, request: Request, response: Response) -> Me:
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


@router.delete("", status_code=204, summary="Log out: clear the session cookie")
def logout(db: DB) -> Response:
    response = Response(status_code=204)
    for name in (sessions.COOKIE, sessions.CSRF_COOKIE):
        response.delete_cookie(name, path="/", secure=db.settings.session_cookie_secure, samesite="strict")
    return response
