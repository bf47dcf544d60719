from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from core.requests import iso_only
from tracegraph.capa.enums import ActionKind, ActionStatus, Result, State
from tracegraph.lifecycle import Step
from tracegraph.security import esign

Day = Annotated[date, BeforeValidator(iso_only)]  # a number is not a date, whatever pydantic allows

Name = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(min_length=1, max_length=10_000)]
InvId = Annotated[str, Field(min_length=1, max_length=64)]


class ActionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: ActionKind
    description: Text
    owner: Name
    due: Day


class ActionUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: ActionStatus | None = None
    owner: Name | None = None
    due: Day | None = None
    note: str | None = Field(None, max_length=2000, description="why (required to cancel)")


class CreateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Annotated[str, Field(min_length=1, max_length=300)]
    description: str | None = Field(None, max_length=10_000)
    owner: Name | None = Field(None, description="a user name; the caller when left out")
    investigations: list[InvId] = Field([], max_length=100, description="investigation ids it addresses")
    due: Day | None = None
    effectiveness_criteria: str | None = Field(None, max_length=10_000,
                                               description="how effectiveness will be judged")
    actions: list[ActionRequest] = Field([], max_length=200)


class VerificationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    criteria: Text = Field(description="what was checked")
    evidence: Text = Field(description="what was seen (data, records, sample results)")
    evidence_ids: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(
        [], max_length=100, description="evidence records of the linked investigations it relies on")
    result: Result


class TransitionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    to: State
    reason: str = Field(min_length=1, max_length=2000)
    signature: esign.Signature | None = Field(None, description="closing needs it (21 CFR 11): password "
                                                                "again and meaning")


class Action(BaseModel):
    id: str
    kind: ActionKind
    description: str
    owner: str
    due: date
    status: ActionStatus
    created: datetime
    created_by: str
    completed: datetime | None = None
    completed_by: str | None = None
    note: str | None = None
    overdue: bool = False


class Verification(BaseModel):
    id: str
    criteria: str
    evidence: str
    evidence_ids: list[str] = []
    result: Result
    by: str
    at: datetime


class HistoryEntry(BaseModel):
    at: datetime
    by: str
    action: str
    summary: str
    reason: str | None = None


class Capa(BaseModel):
    id: str
    title: str
    description: str | None = None
    state: State
    owner: str
    due: date | None = None
    effectiveness_criteria: str | None = None
    created: datetime
    created_by: str
    updated: datetime
    closed: datetime | None = None
    investigations: list[str] = []
    actions: list[Action] = []
    verifications: list[Verification] = []
    effective: bool = Field(False, description="the latest effectiveness check found it effective")
    overdue: bool = False
    steps: list[Step] = []
    history: list[HistoryEntry] = []
    allowed: list[State] = []


class CapaSummary(BaseModel):
    id: str
    title: str
    state: State
    owner: str
    due: date | None = None
    created: datetime
    investigations: list[str] = []
    overdue: bool = False
    overdue_actions: list[str] = Field([], description="open actions past their due date")


class CapaPage(BaseModel):
    capas: list[CapaSummary]
    count: int
