"""Trace answers: the same model serves the CLI (--json) and the API."""
from typing import Literal

from pydantic import BaseModel, Field


class Current(BaseModel):
    site: str | None
    status: str


class TraceResult(BaseModel):
    root: str
    direction: Literal["forward", "backward"]
    serials: list[str]
    lots: list[str]
    containers: list[str]
    sites: list[str] = Field(description="business locations (bizLocation, the site of a readPoint, shipping "
                                         "destinations) of the serials and of their containers while holding them")
    read_points: list[str] = Field(default_factory=list, description="read points of those events (docks, lines)")
    current: dict[str, Current]
    next: str | None = Field(None, description="link to the next page of serials (null on the last page)")
