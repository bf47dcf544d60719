from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from tracegraph.investigations.enums import Direction, EvidenceKind, LinkKind, State
from tracegraph.lifecycle import Step

Ident = Annotated[str, Field(min_length=1, max_length=512)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(min_length=1, max_length=10_000)]


class Subjects(BaseModel):
    """What is being investigated: identifiers in any accepted form (EPC URN, Digital Link,
    element string); each must name something tracegraph knows."""
    model_config = ConfigDict(extra="forbid")
    serials: list[Ident] = Field([], max_length=1000)
    lots: list[Ident] = Field([], max_length=1000)
    sites: list[Ident] = Field([], max_length=1000)
    suppliers: list[Ident] = Field([], max_length=1000, description="parties (PGLN)")


class OpenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str | None = Field(None, min_length=1, max_length=300,
                              description="required unless opened from alerts (then made from the first one)")
    description: str | None = Field(None, max_length=10_000)
    owner: Name | None = Field(None, description="a user name; the caller when left out")
    team: Name | None = None
    members: list[Name] = Field([], max_length=100)
    alerts: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(
        [], max_length=100, description="alert ids it was opened from; their subjects become subjects")
    subjects: Subjects = Subjects()
    reason: str | None = Field(None, max_length=2000)


class UpdateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = Field(None, max_length=10_000)
    owner: Name | None = None
    team: Name | None = None
    members: list[Name] | None = Field(None, max_length=100)
    subjects: Subjects | None = Field(None, description="subjects to add")
    reason: str | None = Field(None, max_length=2000)


class RootCauseRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    category: Name
    text: Text


class TransitionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    to: State
    reason: str = Field(min_length=1, max_length=2000)
    root_cause: RootCauseRequest | None = Field(None, description="may be given with the step to "
                                                                  "root_cause_identified")


class FindingRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: Text


class LinkRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: LinkKind
    target: Annotated[str, Field(min_length=1, max_length=512)]
    note: str | None = Field(None, max_length=2000)


class SnapshotRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: Ident = Field(description="what to trace: serial, lot or container, in any accepted form")
    direction: Direction = Direction.forward
    note: str | None = Field(None, max_length=2000)


class Finding(BaseModel):
    id: str
    text: str
    by: str
    at: datetime


class RootCause(BaseModel):
    category: str
    text: str
    by: str
    at: datetime


class Evidence(BaseModel):
    id: str
    kind: EvidenceKind
    target: str | None = None  # event id, alert id or scope id for links; the traced id for a trace
    direction: str | None = None  # of a trace snapshot
    sha256: str | None = None  # files and trace snapshots
    size: int | None = None
    content_type: str | None = None
    filename: str | None = None
    note: str | None = None
    by: str
    at: datetime


class Subject(BaseModel):
    kind: str
    epc: str


class Investigation(BaseModel):
    id: str
    title: str
    description: str | None = None
    state: State
    owner: str
    team: str | None = None
    members: list[str] = []
    created: datetime
    created_by: str
    updated: datetime
    closed: datetime | None = None
    subjects: list[Subject] = []
    alerts: list[str] = []
    root_cause: RootCause | None = None
    findings: list[Finding] = []
    evidence: list[Evidence] = []
    capas: list[str] = []
    steps: list[Step] = []
    allowed: list[State] = Field([], description="the states it may move to next")


class InvestigationSummary(BaseModel):
    id: str
    title: str
    state: State
    owner: str
    team: str | None = None
    created: datetime
    updated: datetime


class InvestigationPage(BaseModel):
    investigations: list[InvestigationSummary]
    count: int


class TimelineEntry(BaseModel):
    at: datetime
    by: str | None = None
    action: str
    subject: str = Field(description="the investigation, or the CAPA or alert the entry is about")
    summary: str
    reason: str | None = None
    detail: dict[str, Any] = {}


class Timeline(BaseModel):
    investigation: str
    entries: list[TimelineEntry]


class Categories(BaseModel):
    categories: list[str]
