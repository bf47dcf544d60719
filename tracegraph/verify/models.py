from pydantic import BaseModel, Field


class Verification(BaseModel):
    """The partner disclosure tier: nothing about genealogy, suppliers or other customers."""
    epc: str
    verified: bool = Field(description="known, commissioned, and made by the product's manufacturer")
    gtin: str
    serial: str
    product: str | None
    manufacturer: str | None
    lot: str | None
    expiry: str | None
    recalled: bool
    on_hold: bool = Field(description="an active hold covers it, its lot, or a container holding it now")
    decommissioned: bool
    legitimate_holder: bool | None = Field(
        description="the asking party shipped, received or holds it (null when no party is asked about)")
