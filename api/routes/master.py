"""Versioned master data: products, parties, sites, authorized trading relationships."""
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from api.auth import Principal, current_principal, require
from api.deps import DB, RequestId
from core.requests import MAX_OFFSET, Instant
from tracegraph.master import service
from tracegraph.master.models import (
    Party,
    Product,
    PutResult,
    Relationship,
    RelationshipOut,
    Site,
    Version,
    Versioned,
)

router = APIRouter(prefix="/v1/master", tags=["master data"], dependencies=[Depends(require("master:read"))])
writer = [Depends(require("master:write"))]

Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
At = Annotated[Instant | None, Query(description="the versions valid at this time (ISO 8601 with offset)")]
Key = Annotated[str, Path(min_length=1, max_length=512)]


def _put(db, kind: str, records: list, principal: Principal, request_id: str) -> PutResult:
    return service.put(db, {kind: records}, actor=principal.id, source="api", request_id=request_id)


@router.get("/products", response_model=list[Versioned], summary="Products (current, or as of `at`)")
def list_products(db: DB, at: At = None, limit: Limit = 100, offset: Offset = 0) -> list[Versioned]:
    return service.listing(db, "products", at=at, limit=limit, offset=offset)


@router.put("/products", response_model=PutResult, dependencies=writer,
            summary="Create or change products; each real change adds a version")
def put_products(db: DB, request_id: RequestId, records: list[Product],
                 principal: Principal = Depends(current_principal)) -> PutResult:
    return _put(db, "products", records, principal, request_id)


@router.get("/products/{gtin}/history", response_model=list[Version])
def product_history(db: DB, gtin: Key) -> list[Version]:
    return service.history(db, "products", gtin)


@router.get("/parties", response_model=list[Versioned], summary="Parties (current, or as of `at`)")
def list_parties(db: DB, at: At = None, limit: Limit = 100, offset: Offset = 0) -> list[Versioned]:
    return service.listing(db, "parties", at=at, limit=limit, offset=offset)


@router.put("/parties", response_model=PutResult, dependencies=writer)
def put_parties(db: DB, request_id: RequestId, records: list[Party],
                principal: Principal = Depends(current_principal)) -> PutResult:
    return _put(db, "parties", records, principal, request_id)


@router.get("/parties/{pgln:path}/history", response_model=list[Version])
def party_history(db: DB, pgln: Key) -> list[Version]:
    return service.history(db, "parties", pgln)


@router.get("/sites", response_model=list[Versioned], summary="Sites (current, or as of `at`)")
def list_sites(db: DB, at: At = None, limit: Limit = 100, offset: Offset = 0) -> list[Versioned]:
    return service.listing(db, "sites", at=at, limit=limit, offset=offset)


@router.put("/sites", response_model=PutResult, dependencies=writer)
def put_sites(db: DB, request_id: RequestId, records: list[Site],
              principal: Principal = Depends(current_principal)) -> PutResult:
    return _put(db, "sites", records, principal, request_id)


@router.get("/sites/{sgln:path}/history", response_model=list[Version])
def site_history(db: DB, sgln: Key) -> list[Version]:
    return service.history(db, "sites", sgln)


@router.get("/relationships", response_model=list[RelationshipOut],
            summary="Authorized trading relationships (valid now, at `at`, or with `history` all)")
def list_relationships(db: DB, party: Annotated[str | None, Query(max_length=512)] = None, at: At = None,
                       history: bool = False, limit: Limit = 100, offset: Offset = 0) -> list[RelationshipOut]:
    from api.deps import epc_of
    return service.relationships(db, party=epc_of(db, party, "party") if party else None, at=at,
                                 history=history, limit=limit, offset=offset)


@router.put("/relationships", response_model=PutResult, dependencies=writer,
            summary="Authorize who may ship which products to whom; a change supersedes, never rewrites")
def put_relationships(db: DB, request_id: RequestId, records: list[Relationship],
                      principal: Principal = Depends(current_principal)) -> PutResult:
    return _put(db, "relationships", records, principal, request_id)
