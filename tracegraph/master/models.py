"""Master data records. Field names are those the EPCIS header master data gives
(`urn:epcglobal:cbv:mda#streetAddressOne` -> street_address_one), so both sources agree."""
from __future__ import annotations

from datetime import datetime

from pydantic import (
    AwareDatetime,
    BaseModel,
    Field,
    field_validator,
    model_validator,
)

from core.identifiers import IdentifierError, verify_gs1_check_digit
from core.requests import RequestModel
from tracegraph.quality.patterns import valid_regex


class _Record(RequestModel):
    pass


class Product(_Record):
    gtin: str = Field(description="GTIN-14 (the UDI-DI); 8, 12 or 13 digits are padded")
    name: str | None = None
    kind: str | None = None  # finished_good | subassembly | component
    product_line: str | None = None
    device_class: str | None = None  # e.g. I, IIa, IIb, III
    serial_format: str | None = Field(None, description="regular expression every serial must match")
    manufacturer: str | None = Field(None, description="PGLN of the manufacturer (EPC URN or GLN)")

    @field_validator("gtin")
    @classmethod
    def _gtin(cls, value: str) -> str:
        if not value.isdigit() or len(value) not in (8, 12, 13, 14):
            raise ValueError("a GTIN is 8, 12, 13 or 14 digits")
        value = value.zfill(14)
        try:
            verify_gs1_check_digit(value, "gtin", whole=value)
        except IdentifierError as exc:
            raise ValueError(exc.reason) from exc
        return value

    @field_validator("serial_format")
    @classmethod
    def _regex(cls, value: str | None) -> str | None:
        return valid_regex(value)


class Party(_Record):
    epc: str = Field(description="PGLN: urn:epc:id:pgln:... (or a GLN/Digital Link with a known prefix)")
    name: str | None = None
    role: str | None = None  # manufacturer | supplier | distributor | hospital
    channel: str | None = None
    region: str | None = None
    street_address_one: str | None = None
    city: str | None = None
    postal_code: str | None = None
    country_code: str | None = Field(None, pattern=r"^[A-Z]{2}$")
    contact: str | None = None


class Site(_Record):
    epc: str = Field(description="SGLN: urn:epc:id:sgln:...")
    name: str | None = None
    site_type: str | None = None  # supplier | factory | line | warehouse | distributor | hospital
    owner: str | None = Field(None, description="PGLN of the operating party")
    region: str | None = None
    street_address_one: str | None = None
    city: str | None = None
    postal_code: str | None = None
    country_code: str | None = Field(None, pattern=r"^[A-Z]{2}$")


class Relationship(_Record):
    """`from_party` may ship `products` (GTIN-14s, or ["*"] for all) to `to_party`."""
    from_party: str
    to_party: str
    products: list[str] = Field(default_factory=lambda: ["*"], min_length=1)
    channel: str | None = None
    valid_from: AwareDatetime | None = None  # default: now
    valid_to: AwareDatetime | None = None

    @field_validator("products")
    @classmethod
    def _products(cls, value: list[str]) -> list[str]:
        if value != ["*"]:
            for gtin in value:
                if gtin == "*" or not (gtin.isdigit() and len(gtin) == 14):
                    raise ValueError(f"products are GTIN-14s or exactly ['*'], got {gtin!r}")
        return sorted(set(value))

    @model_validator(mode="after")
    def _interval(self) -> Relationship:
        if self.valid_from and self.valid_to and self.valid_to <= self.valid_from:
            raise ValueError("valid_to: must be later than valid_from")
        return self


class RelationshipOut(BaseModel):
    from_party: str
    to_party: str
    products: list[str]
    channel: str | None = None
    valid_from: datetime
    valid_to: datetime | None = None
    recorded: datetime
    superseded: datetime | None = None
    changed_by: str | None = None


class Change(BaseModel):
    key: str
    changed: bool


class PutResult(BaseModel):
    changed: int
    unchanged: int
    records: list[Change]


class Versioned(BaseModel):
    record: dict
    versions: int


class Version(BaseModel):
    valid_from: datetime
    valid_to: datetime | None
    changed_by: str | None
    source: str | None = None
    record: dict


MODELS: dict[str, type[_Record]] = {"products": Product, "parties": Party, "sites": Site}
KEYS = {"products": "gtin", "parties": "epc", "sites": "epc"}
