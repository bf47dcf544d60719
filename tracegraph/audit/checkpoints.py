"""Signed checkpoints of the audit chain head, kept OUTSIDE the database.

One append-only JSON Lines file, `checkpoints.jsonl`, in its own directory
(`TRACEGRAPH_AUDIT_CHECKPOINT_DIR`; put it on other storage than the database and the key).
Its first line is the anchor: the public key that signs record 1, pinned when the chain
starts. Every later line is a checkpoint (seq, hash, record time, checkpoint time). Each line
holds the SHA-256 of the line before it and is signed with the audit key. `verify` checks the
chain against every checkpoint, so a truncated, wiped or re-signed trail no longer matches what
was written here. Each line can also be POSTed to a witness URL (another system's copy).
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tracegraph.audit import signing

FILE = "checkpoints.jsonl"
FORMAT = "tracegraph-audit-checkpoint"
log = logging.getLogger("tracegraph.audit")


def _canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def signed_body(entry: dict) -> bytes:
    return _canonical({k: v for k, v in entry.items() if k != "signature"}).encode()


@dataclass
class Entry:
    source: str  # file and line, for messages
    data: dict


@dataclass
class Loaded:
    anchor: Entry | None = None
    checkpoints: list[Entry] = field(default_factory=list)
    problem: str | None = None  # the first thing wrong with the files themselves


def path_in(directory: Path) -> Path:
    return directory / FILE


def load(files: list[Path]) -> Loaded:
    """Read checkpoint files; the first anchor found pins the first key."""
    out = Loaded()
    for path in files:
        if not path.is_file():
            continue
        prev = None
        for n, raw in enumerate(path.read_bytes().splitlines(), start=1):
            where = f"{path}:{n}"
            try:
                data = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError):
                out.problem = out.problem or f"{where} is not a checkpoint (not JSON)"
                break
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                out.problem = out.problem or f"{where} is not a {FORMAT} line"
                break
            if data.get("prev") != prev:
                out.problem = out.problem or (f"{where} does not follow the line before it: "
                                              "lines were removed or changed")
            prev = hashlib.sha256(raw).hexdigest()
            entry = Entry(where, data)
            if data.get("kind") == "anchor":
                out.anchor = out.anchor or entry
            elif data.get("kind") == "checkpoint":
                out.checkpoints.append(entry)
            else:
                out.problem = out.problem or f"{where} has an unknown kind {data.get('kind')!r}"
    return out


def append(directory: Path, entry: dict, key: Ed25519PrivateKey) -> dict:
    """Sign and append one line (under an exclusive file lock, so processes take turns)."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = path_in(directory)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with open(path, "rb") as fh:
            lines = fh.read().splitlines()
        if entry.get("kind") == "anchor" and lines:
            return json.loads(lines[0])  # pinned already
        entry = dict(entry, format=FORMAT, prev=hashlib.sha256(lines[-1]).hexdigest() if lines else None,
                     signer=signing.key_id(key))
        entry["signature"] = key.sign(signed_body(entry)).hex()
        os.write(fd, (_canonical(entry) + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return entry


def has_anchor(directory: Path) -> bool:
    path = path_in(directory)
    return path.is_file() and path.stat().st_size > 0


def retire(directory: Path, stamp: str, keep: bool = True) -> Path | None:
    """Set the checkpoints aside after a deliberate reset (`tracegraph db reset`): the next
    chain starts a new file. Kept under retired/ unless keep is False."""
    path = path_in(directory)
    if not path.is_file():
        return None
    if not keep:
        path.unlink()
        return None
    target = directory / "retired" / f"checkpoints-{stamp.replace(':', '')}.jsonl"
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.replace(target)
    return target


def send_to_witness(url: str, entry: dict, timeout: float = 5.0) -> bool:
    """POST one signed line to the witness; a failure is logged, never fatal."""
    import httpx
    try:
        response = httpx.post(url, content=_canonical(entry), timeout=timeout,
                              headers={"Content-Type": "application/json"})
        response.raise_for_status()
        return True
    except httpx.HTTPError as exc:
        log.warning("audit checkpoint witness %s did not take checkpoint %s: %s", url, entry.get("seq"), exc)
        return False
