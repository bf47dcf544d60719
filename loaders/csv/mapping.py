"""The mapping file: which columns make which event fields, with formats, time zone and defaults."""
from __future__ import annotations

import codecs
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from core.errors import TracegraphError


class InvalidMapping(TracegraphError):
    status = 422
    slug = "invalid-csv-mapping"
    title = "Invalid CSV mapping"


class Column(BaseModel):
    """A value from `column` (through `map`), else `default`; `value` is a constant."""
    model_config = ConfigDict(extra="forbid")
    column: str | None = None
    value: str | None = None
    default: str | None = None
    map: dict[str, str] = {}
    format: str | None = None  # strptime format for times and dates
    prefix: str = ""  # put before the value, e.g. to make a document number a URI
    scheme: Literal["any", "gln", "pgln", "sscc", "gtin"] = "any"  # how to read a bare number

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data):
        return {"column": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _one_source(self) -> Column:
        if (self.column is None) == (self.value is None):
            raise ValueError("give exactly one of column or value")
        return self


class Mapping(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1)
    description: str | None = None
    delimiter: str = Field(",", min_length=1, max_length=1)
    encoding: str = "utf-8"
    sheet: str | None = None  # for .xlsx files
    timezone: str = "UTC"  # for times without an offset
    company_prefixes: list[str] = []  # to split GTINs / GLNs into EPC URNs
    event_type: Literal["ObjectEvent", "AggregationEvent"] = "ObjectEvent"
    action: Literal["ADD", "OBSERVE", "DELETE"] = "OBSERVE"
    group_by: list[str] = []  # rows sharing these columns become one event
    time: Column
    biz_step: Column | None = None
    disposition: Column | None = None
    epc: Column | None = None  # a whole identifier: EPC URN, Digital Link, element string or scan
    gtin: Column | None = None
    serial: Column | None = None
    lot: Column | None = None
    expiry: Column | None = None
    quantity: Column | None = None  # lot-level quantity when rows name no serial
    uom: Column | None = None
    parent: Column | None = None  # container (SSCC) of an AggregationEvent
    biz_location: Column | None = None
    read_point: Column | None = None
    source_party: Column | None = None
    source_location: Column | None = None
    destination_party: Column | None = None
    destination_location: Column | None = None
    biz_transaction: Column | None = None
    biz_transaction_type: str = "desadv"
    certification: Column | None = None  # certificate of conformity reference (EPCIS 2.0 certificationInfo)
    extensions: dict[str, Column] = {}  # user extension fields, e.g. "tg:inspectionResult"

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Europe/Berlin)") from exc
        return value

    @field_validator("encoding")
    @classmethod
    def _encoding(cls, value: str) -> str:
        try:
            codecs.lookup(value)
        except LookupError as exc:
            raise ValueError(f"unknown text encoding {value!r}") from exc
        return value

    @field_validator("extensions")
    @classmethod
    def _prefixed(cls, value: dict[str, Column]) -> dict[str, Column]:
        for key in value:
            if ":" not in key:
                raise ValueError(f"extension {key!r} needs a namespace prefix, e.g. tg:{key}")
        return value

    @model_validator(mode="after")
    def _identifies(self) -> Mapping:
        if self.epc is None and self.serial is None and self.lot is None:
            raise ValueError("epc: map epc, or gtin with serial, or gtin with lot (and quantity)")
        if (self.serial is not None or self.lot is not None) and self.epc is None and self.gtin is None:
            raise ValueError("gtin: serial and lot columns need a gtin")
        if self.event_type == "AggregationEvent" and self.parent is None:
            raise ValueError("parent: an AggregationEvent mapping needs the container column")
        return self

    def columns(self) -> set[str]:
        fields = [getattr(self, n) for n in type(self).model_fields if isinstance(getattr(self, n), Column)]
        fields += list(self.extensions.values())
        return {f.column for f in fields if f.column} | set(self.group_by)


def load(path: Path) -> Mapping:
    try:
        data = yaml.safe_load(Path(path).read_text())
    except OSError as exc:
        raise InvalidMapping(f"{path}: cannot read the mapping: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise InvalidMapping(f"{path}: not valid YAML: {exc}") from exc
    return parse(data, str(path))


def parse(data, source: str) -> Mapping:
    try:
        return Mapping.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in err["loc"]) or "$"
        msg = err["msg"].removeprefix("Value error, ")
        if where == "$" and ": " in msg:
            where, _, msg = msg.partition(": ")
        raise InvalidMapping(f"{source}: {where}: {msg}", field=where) from exc
