from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tracegraph.quality.enums import Action, Charset, Rule
from tracegraph.quality.patterns import valid_regex

ILMD_FIELDS = ("lot", "expiry")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SerialFormat(_Strict):
    charset: Charset | None = None
    min_length: int | None = Field(None, ge=1, le=20)
    max_length: int | None = Field(None, ge=1, le=20)
    regex: str | None = None  # must match the whole serial

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        return valid_regex(value)


class ProductPolicy(_Strict):
    """Per-product settings; a field left out falls back to `defaults`."""
    serial_format: SerialFormat | None = None
    allowed_biz_steps: dict[str, list[str]] | None = None  # site type -> bare CBV business steps
    required_ilmd: list[str] | None = None

    @field_validator("required_ilmd")
    @classmethod
    def _known_fields(cls, value: list[str] | None) -> list[str] | None:
        for name in value or []:
            if name not in ILMD_FIELDS:
                raise ValueError(f"{name!r} is not an ILMD field this check knows; use {', '.join(ILMD_FIELDS)}")
        return value


class QualityPolicy(_Strict):
    checks: dict[Rule, Action] = {}
    # bounded so that `now + tolerance` stays a datetime (a huge value failed every capture)
    future_tolerance_seconds: int = Field(300, ge=0, le=10 * 365 * 86400)
    defaults: ProductPolicy = ProductPolicy()
    products: dict[str, ProductPolicy] = {}  # GTIN-14 -> settings

    @field_validator("products")
    @classmethod
    def _gtins(cls, value: dict[str, ProductPolicy]) -> dict[str, ProductPolicy]:
        for gtin in value:
            if not (len(gtin) == 14 and gtin.isdigit()):
                raise ValueError(f"product keys are GTIN-14 (14 digits), got {gtin!r}")
        return value

    def action(self, rule: Rule) -> Action:
        return self.checks.get(rule, Action.FLAG)

    def for_product(self, gtin: str) -> ProductPolicy:
        own = self.products.get(gtin)
        if own is None:
            return self.defaults
        merged = self.defaults.model_dump()
        merged.update(own.model_dump(exclude_none=True))
        return ProductPolicy.model_validate(merged)


class Violation(BaseModel):
    rule: Rule
    subject: str  # the serial, lot or event concerned
    event_ids: list[str]
    reason: str
    field: str | None = None


class Finding(BaseModel):
    id: str
    rule: str
    subject: str
    severity: str
    event_ids: list[str]
    reason: str | None = None
    created: datetime
    open: bool
