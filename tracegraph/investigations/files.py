"""Evidence bytes on disk, content-addressed: `<evidence_dir>/<sha[:2]>/<sha>`, written once
through a temporary file and an atomic rename, never executable, checked against the hash on
every read. The same bytes uploaded twice are stored once."""
from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path

import filetype

from tracegraph.investigations.errors import EvidenceMissing, EvidenceTooLarge, UnsupportedEvidenceType

TEXT_TYPES = {"application/json"}  # besides text/*: content with no binary signature


def media_type(declared: str | None) -> str:
    """`text/csv; charset=utf-8` -> `text/csv`."""
    return (declared or "").split(";", 1)[0].strip().lower()


def check(data: bytes, declared: str | None, allowed: list[str], limit: int, field: str = "file") -> str:
    """The accepted content type, or 413 (too big) / 415 (type not accepted, or the bytes are
    something else than they claim: an executable named .pdf is refused)."""
    if len(data) > limit:
        raise EvidenceTooLarge(f"{field}: larger than the {limit} bytes accepted for evidence", field=field,
                               limit=limit)
    kind = media_type(declared)
    if kind not in allowed:
        raise UnsupportedEvidenceType(f"{field}: content type {kind or '(none)'!r} is not accepted; accepted: "
                                      f"{', '.join(allowed)}", field=field, accepted=allowed)
    if not data:
        raise UnsupportedEvidenceType(f"{field}: the file is empty", field=field, accepted=allowed)
    guessed = filetype.guess_mime(data)
    if kind.startswith("text/") or kind in TEXT_TYPES:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            guessed = guessed or "binary data"
        if guessed:
            raise UnsupportedEvidenceType(f"{field}: declared {kind} but the content is {guessed}", field=field,
                                          accepted=allowed)
    elif guessed != kind:
        raise UnsupportedEvidenceType(f"{field}: declared {kind} but the content is {guessed or 'not that'}",
                                      field=field, accepted=allowed)
    return kind


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def path_of(root: Path, digest: str) -> Path:
    return root / digest[:2] / digest


def store(root: Path, data: bytes) -> str:
    """Write the bytes under their SHA-256 (once) and return it."""
    digest = sha256(data)
    target = path_of(root, digest)
    if target.is_file() and sha256(target.read_bytes()) == digest:
        return digest
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
    tmp = target.parent / f".{digest}.{uuid.uuid4().hex}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return digest


def load(root: Path, digest: str) -> bytes:
    target = path_of(root, digest)
    try:
        data = target.read_bytes()
    except OSError as exc:
        raise EvidenceMissing(f"the stored file {digest} cannot be read", field="evidence") from exc
    if sha256(data) != digest:
        raise EvidenceMissing(f"the stored file {digest} no longer matches its SHA-256", field="evidence")
    return data
