"""Recall campaign requests and answers (the API and the CLI share them; same field names)."""
from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tracegraph.campaigns.enums import (
    CheckResult,
    Classification,
    Depth,
    Disposition,
    Level,
    NoticeState,
    RecallType,
    State,
)
from tracegraph.recalls.models import StartPoint


class CampaignRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    starts: list[StartPoint] = Field(min_length=1, max_length=1000,
                                     description="what is recalled: any start a recall scope accepts")
    classification: Classification
    type: RecallType
    depth: Depth
    reason: str = Field(min_length=1, max_length=4000)
    health_hazard: str | None = Field(None, max_length=4000, description="health hazard evaluation, summarized")
    action: str | None = Field(None, max_length=4000, description="what each consignee must do (default by type)")
    investigation_id: str | None = Field(None, min_length=1, max_length=64,
                                         description="the investigation that led here; must exist")


class Campaign(BaseModel):
    id: str
    state: State
    classification: Classification
    type: RecallType
    depth: Depth
    reason: str
    health_hazard: str | None = None
    action: str
    starts: list[dict]
    investigation_id: str | None = None
    firm: list[str] = Field(description="parties of the recalling firm (their sites are never consignees)")
    created: datetime
    created_by: str
    scope_serials: int = Field(description="serials in the snapshotted scope")
    notices: int
    terminated: datetime | None = None
    terminated_by: str | None = None


class CampaignList(BaseModel):
    campaigns: list[Campaign]


class NoticeLine(BaseModel):
    gtin: str | None
    lot: str | None
    quantity: int


class Notice(BaseModel):
    id: str
    site: str = Field(description="consignee site (SGLN URN)")
    site_name: str | None = None
    party: str | None = Field(None, description="operating party (PGLN URN) or null")
    party_name: str | None = None
    region: str | None = None
    contact: str | None = None
    address: str | None = None
    country_code: str | None = None
    direct: bool = Field(description="a direct account (shipped to by the recalling firm)")
    serials: list[str] = Field(description="affected serials shipped to this site, sorted")
    lots: list[str]
    gtins: list[str]
    lines: list[NoticeLine] = Field(description="quantity per GTIN and lot")
    quantity: int
    action: str
    state: NoticeState
    issued: datetime | None = None
    acknowledged: datetime | None = None
    units_on_hand: int | None = None


class CampaignNotice(Notice):
    """A notice with the campaign it belongs to (the cross-campaign listing)."""
    campaign: str = Field(description="the recall campaign's id")
    campaign_state: State
    classification: Classification
    type: RecallType
    reason: str


class NoticePage(BaseModel):
    notices: list[CampaignNotice]
    count: int = Field(description="notices on this page")
    total: int = Field(description="notices matching the filters, on every page")
    next_offset: int | None = Field(None, description="`offset` of the next page; null on the last page")


class NotifyResult(BaseModel):
    issued: int = Field(description="notices issued now")
    deliveries_queued: int = Field(description="notices with a delivery channel, sent in the background")


class Acknowledgement(BaseModel):
    model_config = ConfigDict(extra="forbid")

    site: str = Field(min_length=1, max_length=512, description="the consignee site (SGLN URN)")
    units_on_hand: int | None = Field(None, ge=0, le=10_000_000)
    note: str | None = Field(None, max_length=2000)


class UnitReturn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    serial: str = Field(min_length=1, max_length=512)
    disposition: Disposition = Disposition.returned
    note: str | None = Field(None, max_length=2000, description="required for 'justified'")

    @model_validator(mode="after")
    def _justified(self) -> UnitReturn:
        if self.disposition == Disposition.justified and not (self.note or "").strip():
            raise ValueError("a justified unit needs a note saying why it is accounted for")
        return self


class ReturnsRequest(BaseModel):
    """Per serial (`units`), or for every serial on one consignee's notice (`site`)."""
    model_config = ConfigDict(extra="forbid")

    units: list[UnitReturn] = Field(default_factory=list, max_length=10_000)
    site: str | None = Field(None, min_length=1, max_length=512, description="all units of this consignee's notice")
    disposition: Disposition = Field(Disposition.returned, description="with `site`")
    note: str | None = Field(None, max_length=2000, description="with `site`; required for 'justified'")

    @model_validator(mode="after")
    def _one_way(self) -> ReturnsRequest:
        if bool(self.units) == bool(self.site):
            raise ValueError("give either units (per serial) or site (every unit of that consignee's notice)")
        if self.site and self.disposition == Disposition.justified and not (self.note or "").strip():
            raise ValueError("a justified unit needs a note saying why it is accounted for")
        return self


class ReturnsResult(BaseModel):
    recorded: int


class Figures(BaseModel):
    units_in_scope: int
    units_returned: int
    units_corrected: int
    units_destroyed: int
    units_justified: int
    units_outstanding: int


class ConsigneeStatus(Figures):
    site: str
    site_name: str | None
    party: str | None
    region: str | None
    notified: bool
    responded: bool
    units_on_hand: int | None


class RegionStatus(Figures):
    consignees: int
    consignees_notified: int
    consignees_responded: int
    consignees_not_responded: int


class Status(Figures):
    id: str
    state: State
    consignees: int
    consignees_notified: int
    consignees_responded: int
    consignees_not_responded: int
    by_consignee: list[ConsigneeStatus]
    by_region: dict[str, RegionStatus]


class Outstanding(BaseModel):
    serial: str
    sites: list[str]


class Rescope(BaseModel):
    serials_added: list[str] = Field(description="in the scope now, not in the snapshot")
    serials_removed: list[str] = Field(description="in the snapshot, no longer in the scope (kept: never dropped)")
    consignees_added: list[Notice] = Field(description="consignee sites the data shows now, without a notice")
    consignees_changed: dict[str, list[str]] = Field(description="site -> serials it has now beyond its notice")


class RescopeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sites: list[str] = Field(min_length=1, max_length=10_000, description="new consignee sites to add (SGLN URNs)")


class CheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    level: Level
    percent: float | None = Field(None, gt=10, lt=100, examples=[25.0],
                                  description="level B only: the share of consignees")
    seed: int | None = Field(None, ge=0, le=10**15, description="default: drawn, and recorded")


class CheckResultRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    site: str = Field(min_length=1, max_length=512)
    result: CheckResult
    note: str | None = Field(None, max_length=2000)


class SampledConsignee(BaseModel):
    site: str
    result: CheckResult | None = None
    note: str | None = None
    checked_by: str | None = None


class Check(BaseModel):
    id: str
    level: Level
    percent: float
    seed: int
    population: int = Field(description="consignees notified when the sample was drawn")
    created: datetime
    created_by: str
    sample: list[SampledConsignee]
    pending: int
    failures: list[str] = Field(description="sampled sites whose check did not find the recall effective")
    failed: bool


class CheckList(BaseModel):
    checks: list[Check]


class Delivery(BaseModel):
    id: str
    notice: str
    site: str
    channel: str
    target: str
    state: str
    attempts: int
    error: str | None = None
    at: datetime


class DeliveryList(BaseModel):
    deliveries: list[Delivery]
