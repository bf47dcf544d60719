"""What every request body model and time parameter shares (docs/api-conventions.md).

`RequestModel`: unknown fields are refused (a typo is an error, not a silent no-op), every
string is bounded (MAX_TEXT unless a field says otherwise), and every datetime is an
`instant`. `Instant` is that type for query parameters.
"""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, get_args, get_origin

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, ValidationInfo, field_validator

MAX_TEXT = 1000  # characters, for a string field that names no bound of its own
MAX_OFFSET = 1_000_000  # the largest `offset` a listing accepts (page through with filters instead)
_MAX_UTC_OFFSET = timedelta(hours=18)  # what Neo4j (and ISO 8601 practice) allows


def instant(value: datetime) -> datetime:
    """A point in time the database can hold: no offset means UTC; the offset is within
    ±18:00; and the instant stays within years 1-9999 in UTC."""
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=UTC)
    offset = value.utcoffset()
    if abs(offset) > _MAX_UTC_OFFSET:
        raise ValueError("the UTC offset must be within -18:00 and +18:00")
    try:
        value.astimezone(UTC)
    except OverflowError:
        raise ValueError("out of range (years 1 to 9999 in UTC)") from None
    return value


_NUMBER = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$")


def iso_only(value: Any) -> Any:
    """Pydantic reads a number as seconds since 1970; a client that sent one meant something else."""
    if isinstance(value, (int, float)) or (isinstance(value, str) and _NUMBER.match(value)):
        raise ValueError("expected an ISO 8601 date-time such as 2025-01-31T12:00:00Z")
    return value


def aware(value: datetime) -> datetime:
    """A time a client sends must say its offset: a bare local time is ambiguous by hours."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("needs a UTC offset, e.g. 2025-01-01T00:00:00Z or +01:00")
    return value


Instant = Annotated[datetime, BeforeValidator(iso_only), AfterValidator(aware), AfterValidator(instant)]


class RequestModel(BaseModel):
    """The base of every model a route reads from a request body."""
    model_config = ConfigDict(extra="forbid", str_max_length=MAX_TEXT)

    @field_validator("*", mode="before")
    @classmethod
    def _as_sent(cls, value: Any, info: ValidationInfo) -> Any:
        """JSON types as the schema says: no true for 1, no "1" for 1, no number for a time."""
        kinds = _kinds(cls.model_fields[info.field_name].annotation) if info.field_name else set()
        if int in kinds and bool not in kinds and isinstance(value, (bool, str)):
            raise ValueError("expected an integer")
        if float in kinds and isinstance(value, (bool, str)):
            raise ValueError("expected a number")
        if kinds == {bool} and not isinstance(value, bool) and value is not None:
            raise ValueError("expected true or false")
        if datetime in kinds:
            iso_only(value)
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _instants(cls, value: Any) -> Any:
        return instant(value) if isinstance(value, datetime) else value


def _kinds(annotation: Any) -> set:
    """The plain types an annotation admits at its top level (through Optional/Union/Annotated)."""
    if annotation in (int, float, bool, datetime, str):
        return {annotation}
    out: set = set()
    for arg in get_args(annotation):
        if arg is not type(None) and get_origin(arg) not in (list, dict, tuple, set):
            out |= _kinds(arg) if get_args(arg) or arg in (int, float, bool, datetime, str) else set()
    return out
