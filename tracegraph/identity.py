"""Turn what a user typed (EPC URN, Digital Link, element string) into a canonical EPC URN."""
from __future__ import annotations

import time

from core.errors import InvalidIdentifier
from core.identifiers import IdentifierError, to_epc_urn
from graph.db import Database

MAX_LENGTH = 512


def company_prefixes(db: Database, fresh: bool = False) -> set[str]:
    """Configured and loaded GS1 company prefixes. Cached for `prefix_cache_seconds`: a
    Digital Link verification would otherwise read them on every call."""
    now = time.monotonic()
    hit = db.memo.get("company_prefixes")
    if hit and not fresh and hit[0] > now:
        return hit[1]
    value = set(db.settings.company_prefixes) | set(db.read("ingest/known_prefixes")[0]["prefixes"])
    db.memo["company_prefixes"] = (now + db.settings.prefix_cache_seconds, value)
    return value


def cached_prefixes(db: Database) -> set[str] | None:
    """The company prefixes when cached and fresh, else None (they need a database read)."""
    hit = db.memo.get("company_prefixes")
    return hit[1] if hit and hit[0] > time.monotonic() else None


def canonical_epc(db: Database, value: str, field: str = "id") -> str:
    """Canonical EPC URN; company prefixes come from settings and loaded data."""
    found = canonical_epc_cached(db, value, field)
    if found is not None:
        return found
    # prefixes not cached, or none matched: perhaps one was loaded since, so read them again
    return _convert(value, company_prefixes(db, fresh=True), field)


def canonical_epc_cached(db: Database, value: str, field: str = "id") -> str | None:
    """The canonical EPC URN when it needs no database read (an EPC URN, or prefixes cached
    and matching), else None. Lets an async route convert without a worker thread."""
    if not value or len(value) > MAX_LENGTH:
        raise InvalidIdentifier(f"an identifier must be 1 to {MAX_LENGTH} characters", field=field)
    if value.startswith("urn:epc:"):
        return _convert(value, set(db.settings.company_prefixes), field)
    prefixes = cached_prefixes(db)
    if prefixes is None:
        return None
    try:
        return to_epc_urn(value, company_prefixes=prefixes)
    except IdentifierError:
        return None


def _convert(value: str, prefixes: set[str], field: str) -> str:
    try:
        return to_epc_urn(value, company_prefixes=prefixes)
    except IdentifierError as exc:
        raise InvalidIdentifier(str(exc), field=field, part=exc.part) from exc


GUESSED_PREFIX_LENGTH = 7  # any length works: the point is to look up, and find nothing


def canonical_epc_for_partner(db: Database, value: str, field: str = "id", prefixes: set[str] | None = None) -> str:
    """As canonical_epc, but a GS1 key whose company prefix is not known is converted with a
    guessed prefix length instead of refused: a partner must not learn which prefixes exist,
    so an unknown prefix goes on to the same lookup as an unknown serial (404). `prefixes`:
    already at hand (cached_prefixes), else read (cached)."""
    if prefixes is None:
        prefixes = company_prefixes(db)

    def length(digits: str) -> int:
        return max((len(p) for p in prefixes if digits.startswith(p)), default=GUESSED_PREFIX_LENGTH)
    if not value or len(value) > MAX_LENGTH:
        raise InvalidIdentifier(f"an identifier must be 1 to {MAX_LENGTH} characters", field=field)
    if value.startswith("urn:epc:"):
        return _convert(value, set(db.settings.company_prefixes), field)
    return _convert(value, length, field)
