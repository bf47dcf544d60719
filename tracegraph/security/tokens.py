"""OAuth2 bearer JWTs from an external identity provider (pyjwt).

Issuer, audience, key and algorithms come from settings; `roles` (list) and, for
partners, `party` (PGLN) are read from the claims. Unknown roles are dropped.
"""
from __future__ import annotations

import re

import jwt

from core.errors import Unauthorized
from core.settings import Settings
from tracegraph.security.enums import Role
from tracegraph.security.models import PGLN, Principal


def authenticate_jwt(settings: Settings, token: str) -> Principal:
    refused = Unauthorized("missing or invalid credentials")
    if not settings.jwt_key or len(token) > 8192:
        raise refused
    try:
        claims = jwt.decode(token, settings.jwt_key, algorithms=settings.jwt_algorithms,
                            audience=settings.jwt_audience, issuer=settings.jwt_issuer,
                            options={"require": ["exp", "sub"], "verify_aud": settings.jwt_audience is not None})
    except jwt.PyJWTError as exc:
        raise refused from exc
    roles = claims.get("roles") or []
    if isinstance(roles, str):
        roles = roles.split()
    roles = frozenset(r for r in roles if isinstance(r, str) and r in Role.__members__)
    party = claims.get("party")
    if not roles or (Role.partner in roles and (len(roles) > 1 or not isinstance(party, str)
                                                 or not re.match(PGLN, party))):
        raise refused  # a partner token must carry exactly its party
    return Principal(id=f"jwt:{claims['sub']}", roles=roles, party=party if Role.partner in roles else None,
                     via="jwt")
