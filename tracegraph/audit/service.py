"""The audit trail: every write appends a record in the writer's own transaction.

Each record carries the hash of the one before it (a chain); its hash covers every property
it has (verify refuses any other property) and is signed with the audit key (Ed25519). The
first key is pinned outside the database (the anchor in the checkpoint file, or
TRACEGRAPH_AUDIT_TRUSTED_KEY); a key changes only by an `audit.key.rotate` record signed by
the outgoing key, which names the incoming one. Signed checkpoints of the head (seq, hash,
time) are written outside the database (checkpoints.py), so truncation, wipe-out and
re-signing with another key are found. The head node holds the last sequence number, hash
and key; locking it serialises appends.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from neo4j import ManagedTransaction

from graph.db import Database, run
from tracegraph.audit import checkpoints, signing
from tracegraph.audit.errors import AuditKeyMismatch, CheckpointRefused, RestoreInProgress
from tracegraph.audit.models import AuditRecord, VerifyReport

log = logging.getLogger("tracegraph.audit")
GENESIS = "0" * 64
PAGE = 5000
VERSION = 2
ROTATE = "audit.key.rotate"
# Version-1 records: hashed over these fields in this order.
FIELDS_V1 = ("seq", "time", "actor", "action", "subject", "reason", "before_digest", "after_digest", "request_id",
             "esign_signer", "esign_name", "esign_meaning", "esign_time", "key_id", "prev_hash")
# Version 2 (written now): every property a record may have, except its hash and signature.
FIELDS = FIELDS_V1 + ("v", "public_key", "key_proof")
ALLOWED = {1: set(FIELDS_V1) | {"hash", "signature"}, VERSION: set(FIELDS) | {"hash", "signature"}}
# Labels only audited writes make: any of them with an empty trail means the trail was removed.
DATA_LABELS = ["Event", "Document", "User", "ApiKey", "Party", "Site", "Product", "Object", "Lot", "Hold",
               "RecallScope", "Alert", "CaptureJob", "Finding"]

# Set per request by the API middleware, so callers that do not pass a request id still get one.
current_request_id: ContextVar[str | None] = ContextVar("tracegraph_request_id", default=None)
# Set around a signature-required action (tracegraph.security.esign.signed), so the record the
# action's service writes carries the e-signature without the service knowing about it.
current_esignature: ContextVar[Mapping[str, str] | None] = ContextVar("tracegraph_esignature", default=None)


@dataclass
class Config:
    key_path: Path
    checkpoint_dir: Path
    witness_url: str | None = None
    trusted_key: str | None = None  # hex public key pinned by configuration (over the anchor)


_config: Config | None = None
_config_lock = threading.Lock()


def configure(settings, make_key: bool = True) -> Config:
    """Take the key, checkpoint directory, witness and pinned key from settings (the app's,
    the CLI's: called once at start-up); make the key now unless `make_key` is false."""
    global _config
    with _config_lock:
        _config = Config(key_path=Path(settings.audit_key_path),
                         checkpoint_dir=Path(settings.audit_checkpoint_dir),
                         witness_url=settings.audit_witness_url, trusted_key=settings.audit_trusted_key)
    if make_key:
        signing.server_key(_config.key_path)
    return _config


def configured() -> bool:
    return _config is not None


def config() -> Config:
    if _config is None:
        raise RuntimeError("the audit trail is not configured: call tracegraph.audit.service.configure(settings) "
                           "at start-up (create_app and the CLI do)")
    return _config


def use_key_file(path: Path) -> None:
    """Where the signing key lives (settings.audit_key_path); made now if missing."""
    config().key_path = Path(path)
    signing.server_key(Path(path))


def use_checkpoint_dir(path: Path, witness_url: str | None = None) -> None:
    cfg = config()
    cfg.checkpoint_dir, cfg.witness_url = Path(path), witness_url


def __getattr__(name: str):
    # `_key_path` was a module global; tests and tools still read it.
    if name == "_key_path":
        return config().key_path
    raise AttributeError(name)


def _key() -> Ed25519PrivateKey:
    return signing.server_key(config().key_path)


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_plain)


def _plain(value: Any) -> Any:
    if hasattr(value, "to_native"):
        value = value.to_native()
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    return str(value)


def digest(state: Any) -> str | None:
    return None if state is None else hashlib.sha256(canonical(state).encode()).hexdigest()


def version(rec: Mapping[str, Any]) -> int:
    return VERSION if rec.get("v") == VERSION else 1


def record_hash(rec: Mapping[str, Any]) -> str:
    fields = FIELDS if version(rec) == VERSION else FIELDS_V1
    return hashlib.sha256(canonical([rec.get(f) for f in fields]).encode()).hexdigest()


def utc_stamp(moment: datetime | None = None) -> str:
    """Fixed-width UTC time, so string order is time order."""
    return (moment or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _proof_message(rec: Mapping[str, Any]) -> bytes:
    """What the incoming key signs in a rotation record: it takes over at this place in the chain."""
    return f"tracegraph-audit-rotate:{rec['seq']}:{rec['prev_hash']}:{rec['public_key']}".encode()


def record(tx: ManagedTransaction, *, actor: str, action: str, subject: str, reason: str | None = None,
           before: Any = None, after: Any = None, request_id: str | None = None,
           esignature: Mapping[str, str] | None = None) -> dict:
    """Append one audit record (actor, UTC time, action, subject, reason, before/after digests,
    request id; `esignature` binds a signer's name, time and meaning to it). Returns the record."""
    return _append(tx, actor=actor, action=action, subject=subject, reason=reason, before=before, after=after,
                   request_id=request_id, esignature=esignature)


def _append(tx: ManagedTransaction, *, actor: str, action: str, subject: str, reason: str | None = None,
            before: Any = None, after: Any = None, request_id: str | None = None,
            esignature: Mapping[str, str] | None = None, incoming: Ed25519PrivateKey | None = None,
            restoring: bool = False) -> dict:
    now = utc_stamp()
    head = run(tx, "audit/head", genesis=GENESIS, now=now)[0]
    if head["restoring"] and not restoring:
        raise RestoreInProgress("a backup is being restored; writes resume when it is done "
                                "(if the restore failed: `tracegraph db reset --yes`, then restore again)")
    key = _signing_key(head["key_id"])
    esign = esignature or current_esignature.get() or {}
    rec = {"v": VERSION, "seq": head["seq"], "time": now, "actor": actor, "action": action, "subject": subject,
           "reason": reason, "before_digest": digest(before), "after_digest": digest(after),
           "request_id": request_id or current_request_id.get(),
           "esign_signer": esign.get("signer"), "esign_name": esign.get("name"),
           "esign_meaning": esign.get("meaning"), "esign_time": esign.get("time"),
           "key_id": signing.key_id(key), "prev_hash": head["hash"]}
    if incoming is not None:
        rec["public_key"] = signing.public_bytes(incoming).hex()
        rec["key_proof"] = incoming.sign(_proof_message(rec)).hex()
    rec["hash"] = record_hash(rec)
    rec["signature"] = key.sign(rec["hash"].encode()).hex()
    run(tx, "audit/append", record={k: v for k, v in rec.items() if v is not None},
        next_key=signing.key_id(incoming) if incoming is not None else rec["key_id"])
    if rec["seq"] == 1:
        _pin(key)
    return rec


def finish_restore(tx: ManagedTransaction, *, actor: str, subject: str, after: Any = None,
                   request_id: str | None = None) -> dict:
    """The restore's own record, continuing the chain it restored; writes resume after it."""
    rec = _append(tx, actor=actor, action="backup.restore", subject=subject, after=after, request_id=request_id,
                  restoring=True)
    run(tx, "audit/restore_done")
    return rec


def _next_path() -> Path:
    path = config().key_path.expanduser().resolve()
    return path.with_name(path.name + ".next")


def _signing_key(expected: str | None) -> Ed25519PrivateKey:
    """The key to sign with: the one the chain names next (its head's key_id). Another process
    may have rotated it (read the file again; finish a rotation cut short). Never sign with
    a key the chain does not name: verify would refuse that record."""
    key = _key()
    if expected is None or expected in (signing.key_id(key), signing.legacy_key_id(key)):
        return key
    signing.forget(config().key_path)
    key = _key()
    if signing.key_id(key) == expected:
        return key
    pending = _next_path()
    if pending.is_file() and signing.key_id(signing.server_key(pending)) == expected:
        _install_next()
        return _key()
    raise AuditKeyMismatch(f"the audit key {config().key_path} (id {signing.key_id(key)[:16]}…) is not the key "
                           f"the chain names next ({expected[:16]}…); put the right key file back "
                           "(keys change only with `tracegraph audit rotate-key`)")


def _install_next() -> None:
    os.replace(_next_path(), config().key_path.expanduser().resolve())
    signing.forget(config().key_path)


def _pin(key: Ed25519PrivateKey) -> None:
    """Pin the key of record 1 outside the database (once; the anchor of the checkpoint file)."""
    cfg = config()
    try:
        if checkpoints.has_anchor(cfg.checkpoint_dir):
            return
        entry = checkpoints.append(cfg.checkpoint_dir, {"kind": "anchor", "time": utc_stamp(),
                                                        "public_key": signing.public_bytes(key).hex(),
                                                        "key_id": signing.key_id(key)}, key)
    except OSError as exc:  # writes go on; verify reports the trail as unanchored until it is pinned
        log.error("audit key not pinned in %s: %s", cfg.checkpoint_dir, exc)
        return
    if cfg.witness_url:
        checkpoints.send_to_witness(cfg.witness_url, entry)


# --- verification ----------------------------------------------------------------------

class _Bad(Exception):
    def __init__(self, first_bad, kind: str, detail: str):
        super().__init__(detail)
        self.first_bad, self.kind, self.detail = first_bad, kind, detail


def _check(rec: dict, expected_seq: int, prev_hash: str, public) -> tuple[str, str] | None:
    """(kind, why) for the first thing wrong with this record, or None."""
    seq = rec.get("seq")
    if seq != expected_seq:
        if isinstance(seq, int) and seq > expected_seq:
            return "missing", f"record {expected_seq} is missing: the chain jumps to {seq}"
        return "inserted", f"record numbered {seq!r} does not belong in the chain (expected {expected_seq})"
    unknown = sorted(set(rec) - ALLOWED[version(rec)])
    if unknown:
        return "altered", f"record {seq} has properties the audit service never writes: {', '.join(unknown)}"
    if rec.get("prev_hash") != prev_hash:
        return "broken-link", f"record {seq} does not follow record {seq - 1} (previous hash differs)"
    if record_hash(rec) != rec.get("hash"):
        return "altered", f"record {seq} was changed after it was written (hash differs)"
    wanted = signing.key_id(public) if version(rec) == VERSION else signing.legacy_key_id(public)
    if rec.get("key_id") != wanted:
        return "untrusted-key", (f"record {seq} names key {str(rec.get('key_id'))[:16]}…, but the chain trusts key "
                                 f"{wanted[:16]}… there (keys change only by a signed audit.key.rotate record)")
    if not signing.valid(public, rec.get("signature"), rec["hash"]):
        return "bad-signature", f"record {seq} is not signed by the key the chain trusts there ({wanted[:16]}…)"
    if rec.get("action") == ROTATE or rec.get("public_key") is not None:
        incoming = signing.public_from_hex(rec.get("public_key"))
        if rec.get("action") != ROTATE or incoming is None or \
                rec.get("subject") != f"audit-key:{signing.key_id(incoming)}" or \
                not signing.valid(incoming, rec.get("key_proof"), _proof_message(rec).decode()):
            return "bad-signature", f"record {seq} is a key rotation without a valid new key and proof"
    return None


@dataclass
class _Walk:
    expected: int = 1
    prev: str = GENESIS
    checked: int = 0
    last_time: str | None = None
    public: Any = None
    keys: dict | None = None
    at: int | None = None  # remember the record with this seq (a checkpoint of an earlier head)
    at_record: dict | None = None
    at_key: Any = None  # the key trusted after that record
    progress: Callable[[int, int], None] | None = None  # (checked, total) after each page
    total: int = 0


def _pinned(loaded: checkpoints.Loaded):
    """The first key, from configuration or the anchor; None if neither pins one."""
    text = config().trusted_key or (loaded.anchor.data.get("public_key") if loaded.anchor else None)
    if text is None:
        return None
    public = signing.public_from_hex(text)
    if public is None:
        raise _Bad(None, "bad-checkpoint", "the pinned audit key is not an Ed25519 public key (hex)")
    if loaded.anchor and not config().trusted_key and not signing.valid(
            public, loaded.anchor.data.get("signature"), checkpoints.signed_body(loaded.anchor.data).decode()):
        raise _Bad(None, "bad-checkpoint", f"the anchor {loaded.anchor.source} is not signed by the key it pins")
    return public


def _walk_pages(db: Database, w: _Walk, by_seq: dict) -> None:
    while True:
        page = db.read("audit/page", after=w.expected - 1, limit=PAGE)
        for row in page:
            rec = row["record"]
            bad = _check(rec, w.expected, w.prev, w.public)
            if bad:
                raise _Bad(w.expected if bad[0] == "missing" else rec.get("seq"), *bad)
            for cp in by_seq.get(rec["seq"], ()):
                if cp.data.get("hash") != rec["hash"]:
                    raise _Bad(rec["seq"], "altered", f"record {rec['seq']} is not the record checkpoint "
                                                      f"{cp.source} of {cp.data.get('time')} saw (hash differs)")
            if rec.get("action") == ROTATE:
                w.public = signing.public_from_hex(rec["public_key"])
                w.keys[signing.key_id(w.public)] = w.public
            if rec["seq"] == w.at:
                w.at_record, w.at_key = rec, w.public
            w.expected, w.prev, w.checked, w.last_time = w.expected + 1, rec["hash"], w.checked + 1, rec.get("time")
        if w.progress:
            w.progress(w.checked, max(w.total, w.checked))
        if len(page) < PAGE:
            return


def _resume_point(loaded: checkpoints.Loaded):
    """The newest checkpoint that names the key trusted after its record: where a checkpoint
    run may resume instead of walking the whole trail again."""
    for cp in sorted(loaded.checkpoints, key=lambda c: c.data.get("seq") or 0, reverse=True):
        public = signing.public_from_hex(cp.data.get("trusted_key"))
        if public is not None and signing.valid(public, cp.data.get("signature"),
                                                checkpoints.signed_body(cp.data).decode()):
            return cp.data["seq"], cp.data["hash"], public
    return None


def _verify(db: Database, extra: list[Path], at: int | None = None,
            resume: bool = False, progress: Callable[[int, int], None] | None = None) -> tuple[VerifyReport, _Walk]:
    cfg = config()
    loaded = checkpoints.load([checkpoints.path_in(cfg.checkpoint_dir), *extra])
    stats = db.read("audit/stats")[0]
    w = _Walk(keys={}, at=at, progress=progress, total=stats["records"])
    latest = max((cp.data["seq"] for cp in loaded.checkpoints if isinstance(cp.data.get("seq"), int)), default=None)
    start = _resume_point(loaded) if resume and not loaded.problem else None
    if start is not None and (at is None or at > start[0]):
        # Only the records after the newest checkpoint (a full verify checks all of them).
        w.expected, w.prev, w.checked, w.public = start[0] + 1, start[1], start[0], start[2]
        w.keys[signing.key_id(w.public)] = w.public
        loaded.checkpoints = [cp for cp in loaded.checkpoints if cp.data.get("seq", 0) > start[0]]
    base = {"records": stats["records"], "checkpoints": len(loaded.checkpoints)}
    try:
        if loaded.problem:
            raise _Bad(None, "bad-checkpoint", loaded.problem)
        odd = db.read("audit/unnumbered")
        if odd:
            raise _Bad(None, "inserted", f"record at node {odd[0]['node']} has no valid sequence number "
                                         f"(action {odd[0]['record'].get('action')!r})")
        if w.public is None:
            w.public = _pinned(loaded)
        if w.public is None:
            if stats["records"] or stats["head_seq"]:
                raise _Bad(1, "unanchored", f"no pinned audit key: {checkpoints.path_in(cfg.checkpoint_dir)} has no "
                                            "anchor and TRACEGRAPH_AUDIT_TRUSTED_KEY is unset, so the records' "
                                            "signer cannot be trusted (`tracegraph audit checkpoint --pin` pins "
                                            "the current key after you have checked the trail by other means)")
        else:
            w.keys[signing.key_id(w.public)] = w.public
        by_seq: dict[int, list] = {}
        for cp in loaded.checkpoints:
            seq = cp.data.get("seq")
            if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1 or not isinstance(cp.data.get("hash"), str):
                raise _Bad(None, "bad-checkpoint", f"checkpoint {cp.source} has no valid seq and hash")
            by_seq.setdefault(seq, []).append(cp)
        if w.public is not None:
            _walk_pages(db, w, by_seq)
            for _ in range(50):  # records committed while we walked: the head moves on; follow it
                head = db.read("audit/head_read")[0]
                if not isinstance(head["seq"], int) or head["seq"] <= w.checked:
                    break
                before = w.checked
                _walk_pages(db, w, by_seq)
                if w.checked == before:
                    break
        else:
            head = db.read("audit/head_read")[0]
        if (w.checked or head["seq"]) and (head["seq"], head["hash"]) != (w.checked, w.prev):
            raise _Bad(w.checked + 1, "missing", f"the chain head says {head['seq']} records but the chain ends at "
                                                 f"{w.checked}: later records were removed")
        beyond = [cp for cp in loaded.checkpoints if cp.data["seq"] > w.checked]
        if beyond:
            top = max(beyond, key=lambda cp: cp.data["seq"])
            gone = "every record was removed" if not w.checked else f"the trail ends at record {w.checked}"
            raise _Bad(w.checked + 1, "missing", f"record {w.checked + 1} is missing: checkpoint {top.source} of "
                                                 f"{top.data.get('time')} shows the trail reached record "
                                                 f"{top.data['seq']}, but {gone}")
        for cp in loaded.checkpoints:
            public = w.keys.get(cp.data.get("signer"))
            if public is None or not signing.valid(public, cp.data.get("signature"),
                                                   checkpoints.signed_body(cp.data).decode()):
                raise _Bad(cp.data["seq"], "bad-checkpoint", f"checkpoint {cp.source} is not signed by a key of "
                                                             "this chain: the checkpoint file was altered")
        if not w.checked:
            data = db.read("audit/data", labels=DATA_LABELS)
            if data:
                raise _Bad(1, "missing", f"the audit trail is empty, but the database holds data "
                                         f"({':'.join(data[0]['labels'])} nodes) whose writes were audited: "
                                         "the trail was removed")
    except _Bad as bad:
        return VerifyReport(ok=False, first_bad=bad.first_bad, kind=bad.kind, detail=bad.detail,
                            checked=w.checked, **base), w
    anchored = "" if w.checked else " (empty trail)"
    return VerifyReport(ok=True, checked=w.checked, head_seq=w.checked, head_hash=w.prev if w.checked else None,
                        key_id=signing.key_id(w.public) if w.public is not None else None,
                        latest_checkpoint=latest,
                        detail=f"{w.checked} records, chain and signatures intact{anchored}; "
                               f"{len(loaded.checkpoints)} checkpoints match", **base), w


def verify(db: Database, checkpoint_files: list[Path] | None = None,
           progress: Callable[[int, int], None] | None = None) -> VerifyReport:
    """Walk the chain in order from the pinned key; check it against every checkpoint (the
    configured directory's and `checkpoint_files`, e.g. a witness's copy); report the first
    bad record (its sequence number)."""
    return _verify(db, list(checkpoint_files or []), progress=progress)[0]


# --- checkpoints and key rotation -------------------------------------------------------

_checkpoint_lock = threading.Lock()


def checkpoint(db: Database, reason: str = "manual", pin: bool = False, at: int | None = None) -> dict | None:
    """Verify the trail, then sign and write a checkpoint of its head (or of record `at`, e.g.
    a backup's head) outside the database, and send it to the witness. A trail that does not
    verify gets none (CheckpointRefused): a checkpoint must never bless a truncated or
    rewritten trail. None if there was nothing new."""
    cfg = config()
    with _checkpoint_lock:
        if pin and not checkpoints.has_anchor(cfg.checkpoint_dir):
            _pin(_first_key(db))
        report, w = _verify(db, [], at=at, resume=True)
        if not report.ok:
            raise CheckpointRefused(f"not checkpointing: the audit trail does not verify: {report.detail}",
                                    first_bad=report.first_bad, kind=report.kind)
        seq, hash_, when = w.checked, w.prev, w.last_time
        if at is not None:
            if w.at_record is None:
                return None  # an empty chain (a backup of an empty database)
            seq, hash_, when = at, w.at_record["hash"], w.at_record.get("time")
        if not seq or (report.latest_checkpoint or 0) >= seq:
            return None
        key = _signing_key(signing.key_id(w.public))  # the key trusted now (re-read after a rotation)
        trusted = w.at_key if at is not None else w.public
        entry = checkpoints.append(cfg.checkpoint_dir, {"kind": "checkpoint", "seq": seq, "hash": hash_,
                                                        "record_time": when, "time": utc_stamp(), "reason": reason,
                                                        "trusted_key": signing.public_bytes(trusted).hex()}, key)
    if cfg.witness_url:
        checkpoints.send_to_witness(cfg.witness_url, entry)
    return entry


def _first_key(db: Database) -> Ed25519PrivateKey:
    """For --pin: the current key, if it is the key record 1 names (or there is no record yet)."""
    key = _key()
    first = db.read("audit/page", after=0, limit=1)
    named = first[0]["record"].get("key_id") if first else None
    if named not in (None, signing.key_id(key), signing.legacy_key_id(key)):
        raise AuditKeyMismatch("record 1 is not signed with the current audit key; pin the first key with "
                               "TRACEGRAPH_AUDIT_TRUSTED_KEY instead")
    return key


def checkpoint_quietly(db: Database, reason: str, at: int | None = None) -> dict | None:
    """A checkpoint, or a logged error: for timers and shutdown, which must not fail."""
    try:
        return checkpoint(db, reason, at=at)
    except Exception as exc:  # noqa: BLE001 - logged; the next interval tries again
        log.error("audit checkpoint (%s) not written: %s", reason, exc)
        return None


def rotate_key(db: Database, actor: str, reason: str | None = None, request_id: str | None = None) -> dict:
    """Replace the audit key: a record signed by the outgoing key names the incoming one (and
    carries the incoming key's signature of its place in the chain); then the key file is
    replaced and a checkpoint written. A rotation cut short after its record is committed is
    finished by the next write (the new key waits in `<key file>.next`)."""
    pending = _next_path()
    signing.write_new(pending)
    incoming = signing.server_key(pending)
    rec = db.write_tx(lambda tx: _append(tx, actor=actor, action=ROTATE,
                                         subject=f"audit-key:{signing.key_id(incoming)}", reason=reason,
                                         request_id=request_id, incoming=incoming))
    _install_next()
    checkpoint_quietly(db, "key-rotation")
    return rec


def retire_checkpoints(keep: bool = True) -> Path | None:
    """After a deliberate reset of the database (`tracegraph db reset`): set the checkpoint
    file aside (under retired/), so the new chain gets a new anchor. Until then, an emptied
    database fails `audit verify` as a wiped trail."""
    return checkpoints.retire(config().checkpoint_dir, utc_stamp(), keep=keep)


class Checkpointer:
    """Writes a checkpoint every `seconds` while the head moves, and one at close."""

    def __init__(self, db: Database, seconds: float):
        self.db, self.seconds = db, seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="audit-checkpoints", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.seconds):
            checkpoint_quietly(self.db, "interval")

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        checkpoint_quietly(self.db, "shutdown")


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
