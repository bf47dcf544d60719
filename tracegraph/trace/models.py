"""Trace answers: the same model serves the CLI (--json) and the API."""
from typing import Literal

from pydantic import BaseModel


class Current(BaseModel):
    site: str | None
    status: str


class TraceResult(BaseModel):
    root: str
    direction: Literal["forward", "backward"]
    serials: list[str]
    lots: list[str]
    containers: list[str]
    sites: list[str]
    current: dict[str, Current]
