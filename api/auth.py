"""Who is calling, and may they. Every router declares `Depends(require("area:verb"))`.

Issue #6 replaces `current_principal` with API keys / JWTs and fills the role →
permission table (docs/security.md); until then every caller is the local admin.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Depends, Request

from tracegraph.errors import TracegraphError


class Forbidden(TracegraphError):
    status = 403
    slug = "forbidden"
    title = "Forbidden"


@dataclass(frozen=True)
class Principal:
    id: str
    roles: frozenset[str] = field(default_factory=frozenset)
    party: str | None = None  # PGLN URN for partner principals


def current_principal(request: Request) -> Principal:
    return Principal(id="local-admin", roles=frozenset({"admin"}))


def require(permission: str):
    """A dependency that lets the call through only with `permission`."""
    def check(principal: Principal = Depends(current_principal)) -> Principal:
        if "admin" not in principal.roles:
            raise Forbidden(f"this call needs the permission {permission!r}")
        return principal
    check.permission = permission  # read by the authorization test matrix
    return check
