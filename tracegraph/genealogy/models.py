from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

Direction = Literal["backward", "forward"]


class Made(BaseModel):
    event_id: str
    time: datetime
    type: str
    site: str | None
    site_name: str | None
    line: str | None = Field(description="the read point (production line) when it differs from the site")
    party: str | None = Field(description="the party operating the site: the supplier for bought-in parts")
    party_name: str | None


class Check(BaseModel):
    event_id: str
    time: datetime
    biz_step: str | None
    disposition: str | None
    site: str | None
    certifications: list[dict] = Field(default_factory=list, description="certificationInfo of the event, as sent")


class GenealogyNode(BaseModel):
    epc: str
    kind: str
    depth: int
    product: dict | None
    made: Made | None
    inspections: list[Check]


class GenealogyEdge(BaseModel):
    source: str = Field(description="input (made from) epc")
    target: str = Field(description="output epc")
    type: Literal["INTO", "HAS_ITEM"]
    transformation_id: str | None
    time: datetime | None
    quantity: float | None


class Genealogy(BaseModel):
    root: str
    direction: Direction
    depth: int
    nodes: list[GenealogyNode]
    edges: list[GenealogyEdge]
    cycles: list[list[str]]
    truncated: bool = Field(description="true when the depth or size limit cut the answer short")


class GraphNode(BaseModel):
    id: str
    label: str
    kind: str
    time: datetime | None


class GraphEdge(BaseModel):
    source: str
    target: str
    kind: str
    time: datetime | None


class GraphView(BaseModel):
    root: str
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool
