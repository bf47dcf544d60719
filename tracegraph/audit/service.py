"""The audit trail: every write appends a record in the writer's own transaction.

Each record carries the hash of the one before it (a chain) and an Ed25519 signature
of its own hash by the server key, so editing, deleting, inserting or reordering
records is found by `verify`. The head node holds the last sequence number and hash;
locking it serialises appends.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from neo4j import ManagedTransaction

from graph.db import Database, run
from tracegraph.audit import signing
from tracegraph.audit.models import AuditRecord, VerifyReport

GENESIS = "0" * 64
PAGE = 5000
# Fields covered by the hash, in this order (the hash and signature are not).
FIELDS = ("seq", "time", "actor", "action", "subject", "reason", "before_digest", "after_digest", "request_id",
          "esign_signer", "esign_name", "esign_meaning", "esign_time", "key_id", "prev_hash")

# Set per request by the API middleware, so callers that do not pass a request id still get one.
current_request_id: ContextVar[str | None] = ContextVar("tracegraph_request_id", default=None)
# Set around a signature-required action (tracegraph.security.esign.signed), so the record the
# action's service writes carries the e-signature without the service knowing about it.
current_esignature: ContextVar[Mapping[str, str] | None] = ContextVar("tracegraph_esignature", default=None)
_key_path: Path | None = None


def use_key_file(path: Path) -> None:
    """Where the signing key lives (settings.audit_key_path); made now if missing."""
    global _key_path
    _key_path = path
    signing.server_key(path)


def _key():
    if _key_path is None:
        from core.settings import get_settings
        use_key_file(get_settings().audit_key_path)
    return signing.server_key(_key_path)


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_plain)


def _plain(value: Any) -> Any:
    if hasattr(value, "to_native"):
        value = value.to_native()
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    return str(value)


def digest(state: Any) -> str | None:
    return None if state is None else hashlib.sha256(canonical(state).encode()).hexdigest()


def record_hash(rec: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical([rec.get(f) for f in FIELDS]).encode()).hexdigest()


def utc_stamp(moment: datetime | None = None) -> str:
    """Fixed-width UTC time, so string order is time order."""
    return (moment or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def record(tx: ManagedTransaction, *, actor: str, action: str, subject: str, reason: str | None = None,
           before: Any = None, after: Any = None, request_id: str | None = None,
           esignature: Mapping[str, str] | None = None) -> dict:
    """Append one audit record (actor, UTC time, action, subject, reason, before/after digests,
    request id; `esignature` binds a signer's name, time and meaning to it). Returns the record."""
    key = _key()
    now = utc_stamp()
    head = run(tx, "audit/head", genesis=GENESIS, now=now)[0]
    esign = esignature or current_esignature.get() or {}
    rec = {"seq": head["seq"] + 1, "time": now, "actor": actor, "action": action, "subject": subject,
           "reason": reason, "before_digest": digest(before), "after_digest": digest(after),
           "request_id": request_id or current_request_id.get(),
           "esign_signer": esign.get("signer"), "esign_name": esign.get("name"),
           "esign_meaning": esign.get("meaning"), "esign_time": esign.get("time"),
           "key_id": signing.key_id(key), "prev_hash": head["hash"]}
    rec["hash"] = record_hash(rec)
    rec["signature"] = key.sign(rec["hash"].encode()).hex()
    run(tx, "audit/append", record={k: v for k, v in rec.items() if v is not None})
    return rec


def _check(rec: dict, expected_seq: int, prev_hash: str, public) -> tuple[str, str] | None:
    """(kind, why) for the first thing wrong with this record, or None."""
    seq = rec.get("seq")
    if seq != expected_seq:
        if isinstance(seq, int) and seq > expected_seq:
            return "missing", f"record {expected_seq} is missing: the chain jumps to {seq}"
        return "inserted", f"record numbered {seq!r} does not belong in the chain (expected {expected_seq})"
    if rec.get("prev_hash") != prev_hash:
        return "broken-link", f"record {seq} does not follow record {seq - 1} (previous hash differs)"
    if record_hash(rec) != rec.get("hash"):
        return "altered", f"record {seq} was changed after it was written (hash differs)"
    if not signing.valid(public, rec.get("signature"), rec["hash"]):
        return "bad-signature", f"record {seq} is not signed by this server's audit key"
    return None


def verify(db: Database, progress: Callable[[int, int], None] | None = None) -> VerifyReport:
    """Walk the chain in order; report the first bad record (its sequence number).
    `progress(checked, total)` hears after each page."""
    public = _key().public_key()
    stats = db.read("audit/stats")[0]
    odd = db.read("audit/unnumbered")
    if odd:
        return VerifyReport(ok=False, records=stats["records"], first_bad=None, kind="inserted",
                            detail=f"record at node {odd[0]['node']} has no valid sequence number "
                                   f"(action {odd[0]['record'].get('action')!r})")
    expected, prev, checked = 1, GENESIS, 0
    after: float = 0
    while True:
        page = db.read("audit/page", after=after, limit=PAGE)
        for row in page:
            rec = row["record"]
            bad = _check(rec, expected, prev, public)
            if bad:
                first = expected if bad[0] == "missing" else rec.get("seq")
                return VerifyReport(ok=False, records=stats["records"], first_bad=first, kind=bad[0],
                                    detail=bad[1], checked=checked)
            expected, prev, checked = expected + 1, rec["hash"], checked + 1
        if progress:
            progress(checked, stats["records"])
        if len(page) < PAGE:
            break
        after = page[-1]["record"]["seq"]
    if checked and (stats["head_seq"], stats["head_hash"]) != (checked, prev):
        return VerifyReport(ok=False, records=stats["records"], first_bad=checked + 1, kind="missing",
                            detail=f"the chain head says {stats['head_seq']} records but the chain ends at "
                                   f"{checked}: later records were removed", checked=checked)
    if not checked and stats["head_seq"]:
        return VerifyReport(ok=False, records=0, first_bad=1, kind="missing",
                            detail="every record was removed", checked=0)
    return VerifyReport(ok=True, records=stats["records"], checked=checked,
                        detail=f"{checked} records, chain and signatures intact")


def _model(rec: dict) -> AuditRecord:
    return AuditRecord(**{k: rec.get(k) for k in AuditRecord.model_fields})


def list_records(db: Database, *, subject: str | None = None, actor: str | None = None,
                 action: str | None = None, start: datetime | None = None, end: datetime | None = None,
                 after: int = 0, limit: int = 100) -> list[AuditRecord]:
    rows = db.read("audit/list", subject=subject, actor=actor, action=action,
                   **{"from": utc_stamp(start) if start else None, "to": utc_stamp(end) if end else None},
                   after=after, limit=limit)
    return [_model(r["record"]) for r in rows]


def export(db: Database) -> Iterator[str]:
    """JSON Lines, one record per line in chain order, with hashes and signatures."""
    after: float = 0
    while True:
        page = db.read("audit/page", after=after, limit=PAGE)
        for row in page:
            yield canonical(_model(row["record"]).model_dump()) + "\n"
        if len(page) < PAGE:
            return
        after = page[-1]["record"]["seq"]


def public_key_hex() -> str:
    return signing.public_bytes(_key()).hex()
