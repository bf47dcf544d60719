"""Identifier parsing: every form of a UDI / GS1 / EPC / HIBCC value."""
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from api.auth import Principal, require
from api.deps import DB
from core.errors import InvalidIdentifier
from core.identifiers import IdentifierError, parse_identifier
from tracegraph.identity import MAX_LENGTH, company_prefixes

router = APIRouter(prefix="/v1/identifiers", tags=["identifiers"],
                   dependencies=[Depends(require("identifiers:read"))])


class ParsedIdentifier(BaseModel):
    input: str
    kind: str | None
    epc_urn: str | None
    digital_link: str | None
    element_string: str | None
    gs1: dict | None
    hibcc: dict | None
    errors: dict[str, str]


@router.get("/parse", response_model=ParsedIdentifier,
            summary="Parse an EPC URN, GS1 Digital Link, element string, scan (e.g. ]d2...) or HIBCC UDI")
def parse(db: DB, principal: Annotated[Principal, Depends(require("identifiers:read"))],
          value: Annotated[str, Query(min_length=1, max_length=MAX_LENGTH)],
          gcp_length: Annotated[int | None, Query(ge=6, le=12, description="GS1 company prefix length; "
                                                  "else taken from configured and loaded prefixes")] = None
          ) -> ParsedIdentifier:
    # a partner must not learn which company prefixes exist: only gcp_length works for them
    prefixes = set() if principal.is_partner else company_prefixes(db)
    lookup = (lambda _digits: gcp_length) if gcp_length else prefixes
    try:
        return ParsedIdentifier(**parse_identifier(value, company_prefixes=lookup))
    except IdentifierError as exc:
        raise InvalidIdentifier(str(exc), field="value", part=exc.part) from exc
