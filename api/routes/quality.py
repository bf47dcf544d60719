"""The data-quality policy in force, and the findings recorded under `flag`."""
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from api.auth import require
from api.deps import DB
from core.requests import MAX_OFFSET
from tracegraph.quality import service
from tracegraph.quality.enums import Rule
from tracegraph.quality.models import Finding, ProductPolicy, QualityPolicy

router = APIRouter(prefix="/v1/quality", tags=["data quality"], dependencies=[Depends(require("quality:read"))])


@router.get("/policy", response_model=QualityPolicy, summary="The policy in force (checks, defaults, products)")
def policy(db: DB) -> QualityPolicy:
    return service.active_policy(db.settings)


@router.get("/policy/products/{gtin}", response_model=ProductPolicy,
            summary="The settings that apply to one product (its own over the defaults)")
def product_policy(db: DB, gtin: Annotated[str, Path(pattern=r"^\d{14}$", description="GTIN-14")]) -> ProductPolicy:
    return service.active_policy(db.settings).for_product(gtin)


@router.get("/findings", response_model=list[Finding], summary="Data-quality findings, newest first")
def findings(db: DB, rule: Rule | None = None, open: bool | None = None,
             subject: Annotated[str | None, Query(max_length=512)] = None,
             limit: Annotated[int, Query(ge=1, le=1000)] = 100,
             offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0) -> list[Finding]:
    return service.findings(db, rule=rule.value if rule else None, open=open, subject=subject,
                            limit=limit, offset=offset)
