from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from core.requests import RequestModel
from tracegraph.holds.enums import HoldKind, Policy


class HoldRequest(RequestModel):
    kind: HoldKind
    target: str = Field(min_length=1, max_length=512,
                        description="EPC URN / Digital Link of the lot, serial, container or site; a GTIN for "
                                    "a product; a saved recall scope id")
    reason: str = Field(min_length=1, max_length=2000)
    policy: Policy = Policy.block
    derived: bool = Field(False, description="also hold items made from the held lots/serials (genealogy)")


class ReleaseRequest(RequestModel):
    reason: str = Field(min_length=1, max_length=2000)


class Hold(BaseModel):
    id: str
    kind: HoldKind
    target: str
    policy: Policy
    reason: str
    derived: bool
    state: str  # active | released
    created: datetime
    created_by: str
    released: datetime | None = None
    released_by: str | None = None
    release_reason: str | None = None
    items: int  # serialized items held
    objects: int  # items and containers held


class HoldDetail(Hold):
    held: list[str]  # the held items and containers (first `limit`)


class HoldList(BaseModel):
    holds: list[Hold]
