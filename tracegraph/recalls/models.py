"""Recall scope requests and answers (the API and the CLI share them)."""
from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from core.requests import RequestModel
from tracegraph.recalls.enums import Bucket, StartKind

WINDOWED = {StartKind.party, StartKind.site, StartKind.product}
# The last page number taken: past the end of a billion-serial scope even at one serial a page.
# The bound keeps the documented body true (the JSON codec refuses numbers above 1e15).
MAX_PAGE = 1_000_000_000


class StartPoint(RequestModel):
    model_config = ConfigDict(populate_by_name=True)

    kind: StartKind
    id: str = Field(min_length=1, max_length=512,
                    description="EPC URN or Digital Link (lot, serial, container, party PGLN, site SGLN) or a GTIN")
    from_: AwareDatetime | None = Field(None, alias="from", description="window start (party, site, product)")
    to: AwareDatetime | None = Field(None, description="window end (party, site, product)")

    @model_validator(mode="after")
    def _window(self) -> StartPoint:
        if (self.from_ or self.to) and self.kind not in WINDOWED:
            raise ValueError(f"a time window applies to party, site and product starts, not {self.kind.value}")
        if self.from_ and self.to and self.from_ > self.to:
            raise ValueError("'from' is after 'to'")
        return self


class ScopeRequest(RequestModel):

    starts: list[StartPoint] = Field(min_length=1, max_length=1000, description="the union of these starting points")
    as_of: AwareDatetime | None = Field(None, description="answer as the records stood then (recorded and happened)")
    include_decommissioned: bool = True
    include_returned: bool = True
    max_depth: int | None = Field(None, ge=0, le=32, description="genealogy links to follow (default: all, up to 32)")
    save: bool = Field(False, description="save the scope (a RecallScope) so holds and notices can refer to it")
    page: int = Field(1, ge=1, le=MAX_PAGE, description="page of `page_size` serials, from 1")
    page_size: int = Field(100, ge=1, le=1000)


class Summary(BaseModel):
    serials: int
    lots: int
    consignees: int
    sites: int
    by_status: dict[Bucket, int]


class Aggregations(BaseModel):
    by_region: dict[str, int]
    by_channel: dict[str, int]
    by_product_line: dict[str, int]
    by_customer: dict[str, int]


class ScopeSerial(BaseModel):
    epc: str
    gtin: str | None
    product: str | None
    product_line: str | None
    lot: str | None
    path: list[str] = Field(description="derivation: from a starting point to this serial")
    status: Bucket
    disposition: str = Field(description="the latest disposition (or 'decommissioned') as recorded")
    site: str | None
    site_name: str | None
    custodian: str | None = Field(description="party operating the current site")
    custodian_name: str | None
    container: str | None


class Consignee(BaseModel):
    site: str
    site_name: str | None
    party: str | None
    party_name: str | None
    address: str | None
    country_code: str | None
    contact: str | None
    region: str | None
    channel: str | None
    quantity: int = Field(description="affected serials shipped to this site")
    last_shipment: datetime


class ScopeResult(BaseModel):
    scope_id: str | None
    as_of: datetime | None
    summary: Summary
    aggregations: Aggregations
    cycles: list[list[str]] = Field(description="genealogy cycles found in the data (bad data: reported, not followed)")
    page: int
    page_size: int
    serials: list[ScopeSerial]
    consignees: list[Consignee]


class SavedScope(BaseModel):
    id: str
    created: datetime
    as_of: datetime | None
    query: dict
    serials: list[str]
