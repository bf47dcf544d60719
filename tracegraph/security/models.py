from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pydantic import BaseModel, Field

from core.requests import RequestModel
from tracegraph.security.enums import Role

USER_NAME = r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$"
PGLN = r"^urn:epc:id:pgln:[0-9]{6,12}\.[0-9]{0,6}$"


@dataclass(frozen=True)
class Principal:
    """Who is calling: a user (through an API key or a JWT) with roles, and for partners a party."""
    id: str
    roles: frozenset[str] = field(default_factory=frozenset)
    party: str | None = None  # PGLN URN for partner principals
    via: str = "local"  # api-key:<id> | jwt | local

    @property
    def is_partner(self) -> bool:
        return "partner" in self.roles


class NewUser(RequestModel):
    name: str = Field(pattern=USER_NAME, description="Login name")
    roles: list[Role] = Field(min_length=1, max_length=7)
    party: str | None = Field(None, pattern=PGLN, max_length=40, description="PGLN URN; required for partners")
    display_name: str | None = Field(None, max_length=200, description="Printed on e-signatures")
    password: str | None = Field(None, min_length=12, max_length=256, description="Needed to e-sign")


class User(BaseModel):
    name: str
    roles: list[str]
    party: str | None = None
    display_name: str | None = None
    disabled: bool = False
    created: datetime | None = None
    keys: int = 0


class NewKey(RequestModel):
    label: str | None = Field(None, max_length=200)
    expires_in_days: int | None = Field(90, ge=1, le=3650, description="null: never expires")


class IssuedKey(BaseModel):
    id: str
    user: str
    key: str = Field(description="The secret, shown this once; only its hash is stored")
    expires: datetime | None


class ApiKey(BaseModel):
    id: str
    user: str
    label: str | None = None
    created: datetime | None = None
    expires: datetime | None = None
    revoked: datetime | None = None
