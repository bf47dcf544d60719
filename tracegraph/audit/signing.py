"""The server's Ed25519 audit key: made on first start, kept in a 0600 file outside
the database (a database dump alone cannot forge records)."""
from __future__ import annotations

import hashlib
import os
import threading
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from tracegraph.audit.errors import KeyFileError

_lock = threading.Lock()


def pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def write_new(path: Path, key: Ed25519PrivateKey | None = None) -> None:
    """Write a key file (0600) only if none is there; a concurrent writer's file wins."""
    _create(path, key)


def _create(path: Path, key: Ed25519PrivateKey | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    pem_bytes = pem(key or Ed25519PrivateKey.generate())
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem_bytes)
    try:
        os.link(tmp, path)  # atomic: if another process won the race, keep its key
    except FileExistsError:
        pass
    finally:
        tmp.unlink()


@lru_cache(maxsize=4)
def _load(path: str) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path} is not an Ed25519 private key")
    return key


def server_key(path: Path) -> Ed25519PrivateKey:
    path = path.expanduser().resolve()
    with _lock:
        if not path.exists():
            _create(path)
    if path.stat().st_mode & 0o077:
        raise KeyFileError(f"the audit key {path} must be readable by its owner only (chmod 600)")
    return _load(str(path))


def public_bytes(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    pub = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The key's id: the SHA-256 of its raw public key, so an id names exactly one key."""
    return hashlib.sha256(public_bytes(key)).hexdigest()


def legacy_key_id(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The id version-1 records carry (the first 16 hex digits of the same hash)."""
    return key_id(key)[:16]


def public_from_hex(text: str | None) -> Ed25519PublicKey | None:
    try:
        return Ed25519PublicKey.from_public_bytes(bytes.fromhex(text or ""))
    except ValueError:
        return None


def forget(path: Path) -> None:
    """Drop the cached key, so the next use reads the file again (after a rotation)."""
    _load.cache_clear()


def valid(public: Ed25519PublicKey, signature_hex: str | None, message: str) -> bool:
    try:
        public.verify(bytes.fromhex(signature_hex or ""), message.encode())
        return True
    except (InvalidSignature, ValueError):
        return False
