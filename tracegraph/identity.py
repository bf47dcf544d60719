"""Turn what a user typed (EPC URN, Digital Link, element string) into a canonical EPC URN."""
from __future__ import annotations

from graph.db import Database
from tracegraph.errors import InvalidIdentifier
from tracegraph.identifiers import IdentifierError, to_epc_urn

MAX_LENGTH = 512


def canonical_epc(db: Database, value: str, field: str = "id") -> str:
    """Canonical EPC URN; company prefixes come from settings and loaded data."""
    if not value or len(value) > MAX_LENGTH:
        raise InvalidIdentifier(f"an identifier must be 1 to {MAX_LENGTH} characters", field=field)
    prefixes = set(db.settings.company_prefixes)
    if not value.startswith("urn:epc:"):
        prefixes |= set(db.read("ingest/known_prefixes")[0]["prefixes"])
    try:
        return to_epc_urn(value, company_prefixes=prefixes)
    except IdentifierError as exc:
        raise InvalidIdentifier(str(exc), field=field, part=exc.part) from exc
