from datetime import datetime

from pydantic import BaseModel


class Product(BaseModel):
    gtin: str
    name: str | None = None
    kind: str | None = None
    product_line: str | None = None
    device_class: str | None = None


class Lot(BaseModel):
    epc: str
    lot: str | None = None
    expiry: str | None = None
    manufactured: datetime | None = None


class Serial(BaseModel):
    epc: str
    gtin: str
    serial: str
    product: Product | None
    lot: Lot | None
    status: str
    site: str | None
    container: str | None
    commissioned: datetime | None


class TimelineEntry(BaseModel):
    event_id: str
    type: str
    time: datetime
    action: str | None
    biz_step: str | None
    disposition: str | None
    site: str | None
    read_point: str | None
    destinations: list[str]
    via: str | None  # the container through which the event saw the item


class Timeline(BaseModel):
    epc: str
    events: list[TimelineEntry]
