"""Electronic signatures (21 CFR Part 11 §11.50, §11.200): for a signature-required
action the user re-enters their password and states what the signature means; the
signer's name, the time and the meaning go into the action's audit record, which is
hashed into the chain and signed by the server key, binding them to the subject.

Use: `sig = esign.check(db, principal, body.signature)` before the write, then
`audit.record(tx, ..., esignature=sig)` in the write's transaction, or run the action's
service inside `with esign.signed(sig):` so the audit record it writes carries it.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pydantic import Field

from core.requests import RequestModel
from graph.db import Database
from tracegraph.audit.service import current_esignature, utc_stamp
from tracegraph.security.enums import Meaning
from tracegraph.security.errors import SignatureRejected, SignatureRequired
from tracegraph.security.models import Principal
from tracegraph.security.passwords import check_password


class Signature(RequestModel):
    """What the signer gives: their password again, and what the signature means."""
    password: str = Field(min_length=1, max_length=256, description="The signer's password, re-entered")
    meaning: Meaning = Field(description="approved | reviewed | responsible")


def check(db: Database, principal: Principal, signature: Signature | None) -> dict[str, str] | None:
    """The e-signature to pass to `audit.record(esignature=...)`, or an error. When signatures
    are switched off (settings.esign_required False, e.g. a test set-up) a missing one is None."""
    if signature is None and not db.settings.esign_required:
        return None
    if signature is None:
        raise SignatureRequired("this action needs an electronic signature: password and meaning",
                                field="signature")
    rows = db.read("security/user_get", user=principal.id)
    user = rows[0]["user"] if rows else None
    if not user or user.get("disabled") or not check_password(signature.password, user.get("password_hash")):
        raise SignatureRejected("the signature could not be verified: re-enter your own password",
                                field="signature.password")
    return {"signer": user["name"], "name": user.get("display_name") or user["name"],
            "meaning": signature.meaning.value, "time": utc_stamp()}


@contextmanager
def signed(signature: dict[str, str] | None) -> Iterator[None]:
    """Audit records written inside carry `signature` (one action, one record)."""
    token = current_esignature.set(signature)
    try:
        yield
    finally:
        current_esignature.reset(token)
