"""Browser sessions for the console (issue 15).

A session is a cookie holding `<payload>.<HMAC-SHA256>`: who logged in (a user, or one API
key), when it expires, and a random CSRF token. Nothing secret is in it and it cannot be
forged without the server's session key. Every request re-reads the user or key, so a
disabled user, a changed role or a revoked key takes effect at once. Writes through a
cookie must echo the CSRF token in a header (double submit), on top of SameSite=Strict.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import secrets
import time
from pathlib import Path

from core.errors import Unauthorized
from graph.db import Database
from graph.db import native as _native
from tracegraph.audit import service as audit
from tracegraph.security import service
from tracegraph.security.models import Principal
from tracegraph.security.passwords import check_password

COOKIE = "tg_session"
CSRF_COOKIE = "tg_csrf"
CSRF_HEADER = "x-csrf-token"
_keys: dict[Path, bytes] = {}
log = logging.getLogger("tracegraph.sessions")


def _refused() -> Unauthorized:
    return Unauthorized("missing or invalid credentials")


def server_key(path: Path) -> bytes:
    """The session HMAC key at `path`, made (0600) on first use."""
    path = Path(path)
    if path not in _keys:
        try:
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "w") as out:
                    out.write(secrets.token_hex(32))
            _keys[path] = bytes.fromhex(path.read_text().strip())
        except (OSError, ValueError) as exc:
            # a read-only or broken key file must not stop log-ins: sessions then end with the process
            log.warning("session key %s unusable (%s); using a key kept in memory", path, exc)
            _keys[path] = secrets.token_bytes(32)
    return _keys[path]


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue(key: bytes, kind: str, subject: str, hours: float) -> tuple[str, str]:
    """(cookie value, CSRF token) for a fresh session."""
    csrf = secrets.token_urlsafe(24)
    payload = _b64(json.dumps({"k": kind, "s": subject, "e": int(time.time() + hours * 3600), "c": csrf},
                              separators=(",", ":")).encode())
    return f"{payload}.{_b64(hmac.new(key, payload.encode(), hashlib.sha256).digest())}", csrf


def read(key: bytes, token: str) -> dict:
    """The session's claims, or Unauthorized (bad signature, malformed, expired)."""
    payload, _, sig = token.partition(".")
    if len(token) > 1024 or not payload or not sig:
        raise _refused()
    expected = _b64(hmac.new(key, payload.encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(expected, sig):
        raise _refused()
    try:
        claims = json.loads(_unb64(payload))
    except ValueError as exc:
        raise _refused() from exc
    if not isinstance(claims, dict) or claims.get("k") not in ("user", "key") or claims.get("e", 0) < time.time():
        raise _refused()
    return claims


def _user_principal(user: dict | None) -> Principal:
    if not user or user.get("disabled") or not user.get("roles"):
        raise _refused()
    return Principal(id=user["name"], roles=frozenset(user["roles"]), party=user.get("party"), via="session")


def principal(db: Database, claims: dict) -> Principal:
    """Who the session is, as the database says now."""
    if claims["k"] == "user":
        rows = db.read("security/user_get", user=claims["s"])
        return _user_principal(rows[0]["user"] if rows else None)
    rows = db.read("security/key_lookup", id=claims["s"])
    if not rows:
        raise _refused()
    key, user = rows[0]["key"], rows[0]["user"]
    expires = _native(key.get("expires"))
    if key.get("revoked") or (expires is not None and expires.timestamp() <= time.time()):
        raise _refused()
    found = _user_principal(user)
    return Principal(id=found.id, roles=found.roles, party=found.party, via=f"session:api-key:{claims['s']}")


def login(db: Database, *, user: str | None, password: str | None, api_key: str | None,
          request_id: str | None = None) -> tuple[str, str, Principal]:
    """Check the credentials, audit the login; (session kind, subject, principal)."""
    if api_key:
        found = service.authenticate_key(db, api_key)
        kind, subject = "key", found.via.removeprefix("api-key:")
    else:
        rows = db.read("security/user_get", user=user or "")
        record = rows[0]["user"] if rows else None
        # one message for every failure, and the hash is checked even for unknown users (timing)
        ok = check_password(password or "", (record or {}).get("password_hash") or _DUMMY_HASH)
        if not record or not ok:
            raise _refused()
        found, kind, subject = _user_principal(record), "user", record["name"]
    db.write_tx(lambda tx: audit.record(tx, actor=found.id, action="session.login", subject=f"user:{found.id}",
                                        after={"via": kind}, request_id=request_id))
    return kind, subject, found


# A real scrypt hash of a random password, so unknown users cost as much as known ones.
_DUMMY_HASH = "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
