from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import Field

from api import problems
from api.auth import Principal, current_principal, require
from api.deps import DB, RequestId
from core.errors import NotFound
from core.requests import RequestModel
from tracegraph.security import service
from tracegraph.security.enums import Role
from tracegraph.security.models import (
    USER_NAME,
    ApiKey,
    IssuedKey,
    NewKey,
    NewUser,
    User,
)

router = APIRouter(prefix="/v1/users", tags=["users"], dependencies=[Depends(require("users:read"))])
write = [Depends(require("users:write"))]
Name = Annotated[str, Path(pattern=USER_NAME)]
KeyId = Annotated[str, Path(pattern=r"^[0-9a-f]{12}$")]


class UserChange(RequestModel):
    roles: list[Role] | None = Field(None, min_length=1, max_length=7)
    disabled: bool | None = None
    password: str | None = Field(None, min_length=12, max_length=256)


@router.get("", response_model=list[User], summary="Every user with its roles and key count")
def list_users(db: DB) -> list[User]:
    return service.list_users(db)


@router.post("", response_model=User, status_code=201, dependencies=write, summary="Create a user",
             responses=problems.responses(409))
def create_user(db: DB, body: NewUser, request_id: RequestId,
                principal: Principal = Depends(current_principal)) -> User:
    return service.create_user(db, body, actor=principal.id, request_id=request_id)


@router.get("/{name}", response_model=User, summary="One user")
def get_user(db: DB, name: Name) -> User:
    return service.get_user(db, name)


@router.patch("/{name}", response_model=User, dependencies=write, summary="Change roles, disable, set password")
def update_user(db: DB, name: Name, body: UserChange, request_id: RequestId,
                principal: Principal = Depends(current_principal)) -> User:
    return service.update_user(db, name, principal.id, roles=body.roles, disabled=body.disabled,
                               password=body.password, request_id=request_id)


@router.get("/{name}/keys", response_model=list[ApiKey], summary="A user's API keys (never the secrets)")
def list_keys(db: DB, name: Name) -> list[ApiKey]:
    service.get_user(db, name)
    return service.list_keys(db, name)


@router.post("/{name}/keys", response_model=IssuedKey, status_code=201, dependencies=write,
             summary="Issue an API key; the secret is in this response only")
def issue_key(db: DB, name: Name, body: NewKey, request_id: RequestId,
              principal: Principal = Depends(current_principal)) -> IssuedKey:
    return service.issue_key(db, name, body, principal.id, request_id=request_id)


@router.delete("/{name}/keys/{key_id}", status_code=204, dependencies=write, summary="Revoke an API key")
def revoke_key(db: DB, name: Name, key_id: KeyId, request_id: RequestId,
               principal: Principal = Depends(current_principal)) -> None:
    if not any(k.id == key_id for k in service.list_keys(db, name)):
        raise NotFound(f"user {name!r} has no API key {key_id!r}", field="key_id")
    service.revoke_key(db, key_id, principal.id, request_id=request_id)
