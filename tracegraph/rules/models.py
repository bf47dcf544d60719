"""Rules configuration and answers (shared by the API and the CLI)."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, WithJsonSchema

from core.fastjson import DEFAULT_LIMITS
from core.requests import RequestModel
from tracegraph.alerts.enums import Severity


class _Strict(RequestModel, BaseModel):  # BaseModel named too: linters see a pydantic model
    pass


# What a rule parameter may be (rules.config.validate checks each against its rule's default),
# documented with the JSON codec's bounds: a bigger number is refused before any model sees it.
_STRING = {"type": "string", "maxLength": DEFAULT_LIMITS.max_string}
PARAM_SCHEMA = {"anyOf": [{"type": "boolean"},
                          {"type": "number", "minimum": 0, "maximum": DEFAULT_LIMITS.max_number}, _STRING,
                          {"type": "array", "items": _STRING}],
                "description": "a boolean, a number (at least 0), a string or a list of strings, "
                               "as the rule's own default is"}


class RuleEntry(_Strict):
    enabled: bool = True
    params: dict[str, Annotated[Any, WithJsonSchema(PARAM_SCHEMA)]] = {}


class Grading(_Strict):
    at_hospital: int = Field(1, ge=0, le=3)
    implanted: int = Field(1, ge=0, le=3)
    recalled: int = Field(1, ge=0, le=3)
    held: int = Field(0, ge=0, le=3)


class Route(_Strict):
    rule: list[str] | None = None
    product_line: list[str] | None = None
    region: list[str] | None = None
    severity: Severity | None = None  # minimum
    team: str = Field(min_length=1, max_length=100)


class Routing(_Strict):
    default_team: str = Field("quality", min_length=1, max_length=100)
    routes: list[Route] = []


class Webhook(_Strict):
    url: str = Field(pattern=r"^https?://[^\s]+$", max_length=2000)
    teams: list[str] | None = None
    severity: Severity | None = None  # minimum


class RulesConfig(_Strict):
    on_ingest: bool = True
    rules: dict[str, RuleEntry] = {}
    grading: Grading = Grading()
    routing: Routing = Routing()
    webhooks: list[Webhook] = []


class RulesUpdate(_Strict):
    """What PUT /v1/rules changes: named rules are merged, the rest replaced when given."""
    on_ingest: bool | None = None
    rules: dict[str, RuleEntry] | None = None
    grading: Grading | None = None
    routing: Routing | None = None
    webhooks: list[Webhook] | None = None


class RuleInfo(BaseModel):
    code: str
    title: str
    severity: Severity
    subject: str
    triggers: list[str]
    enabled: bool
    params: dict[str, Any]
    defaults: dict[str, Any]
    description: str


class RulesView(BaseModel):
    on_ingest: bool
    rules: list[RuleInfo]
    grading: Grading
    routing: Routing
    webhooks: list[Webhook]


class Finding(BaseModel):
    rule: str
    severity: Severity  # after grading
    subject: str
    events: list[str]
    detail: dict[str, Any] = {}
    time: datetime | None = None  # latest evidence
    team: str | None = None
    grade_reason: list[str] = []
    product_line: str | None = None
    region: str | None = None


class RunResult(BaseModel):
    findings: list[Finding]
    rules: dict[str, dict[str, float]]  # per rule: findings, seconds
    opened: int = 0
    updated: int = 0
    cleared: int = 0
