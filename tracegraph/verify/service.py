"""Partner lookup and verification of one serial.

A partner only learns about serials its party shipped, received or holds; any other
serial answers exactly like an unknown one (404), so existence does not leak.
The API path goes through the shared lookup batcher (graph/coalesce.py): under load,
concurrent verifications are answered by one query.
"""
from __future__ import annotations

from core.errors import InvalidIdentifier, NotFound
from graph.db import Database
from tracegraph.security.models import Principal
from tracegraph.verify.models import Verification

QUERY = "verify/serials"


def _ask(epc: str, principal: Principal, party: str | None) -> dict:
    if not epc.startswith("urn:epc:id:sgtin:"):
        raise InvalidIdentifier("verification needs a serialized item (SGTIN), not a lot or container", field="id")
    return {"epc": epc, "party": principal.party if principal.is_partner else party}


def _answer(epc: str, rows: list[dict], principal: Principal) -> Verification:
    if not rows or (principal.is_partner and not rows[0]["holder"]):
        raise NotFound(f"no serialized item {epc} is known to you", field="id")
    r = rows[0]
    return Verification(epc=r["epc"], verified=bool(r["commissioned"] and r["by_manufacturer"]), gtin=r["gtin"],
                        serial=r["serial"], product=r["product"], manufacturer=r["manufacturer"], lot=r["lot"],
                        expiry=r["expiry"], recalled=r["recalled"], on_hold=r["on_hold"],
                        decommissioned=r["decommissioned"], legitimate_holder=r["holder"])


async def verify(db: Database, epc: str, principal: Principal, party: str | None = None) -> Verification:
    """One verification, answered together with any others waiting."""
    return _answer(epc, await db.coalesced(QUERY).ask(**_ask(epc, principal, party)), principal)
