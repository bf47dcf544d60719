"""Users and API keys. Keys are `tgk_<id>_<secret>`: only a SHA-256 of the secret is
stored (the secret is 256 random bits, so a slow hash adds nothing), it is shown once,
and it can be revoked or expire. Every change is audited in its own transaction."""
from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from neo4j.exceptions import ConstraintError

from core.errors import Conflict, NotFound, Unauthorized
from graph.db import Database, run
from graph.db import native as _native
from tracegraph.audit import service as audit
from tracegraph.security.enums import Role
from tracegraph.security.errors import InvalidUser
from tracegraph.security.models import (
    ApiKey,
    IssuedKey,
    NewKey,
    NewUser,
    Principal,
    User,
)
from tracegraph.security.passwords import hash_password

KEY_PREFIX = "tgk_"


@dataclass(frozen=True, slots=True)
class _Key:
    """A key as authentication needs it, made once per database read rather than per call
    (making the principal took longer than the rest of a cached key's check)."""
    hash: str
    principal: Principal | None  # None: refused whatever the time (revoked, or its user disabled)
    expires: float | None  # POSIX timestamp


# Key id -> (when the entry goes stale, the key or None for "no such key").
_cache: dict[str, tuple[float, _Key | None]] = {}
_cache_lock = threading.Lock()


def _now() -> datetime:
    return datetime.now(UTC)


def _violates(exc: ConstraintError, label: str, prop: str) -> bool:
    """Whether Neo4j's constraint error names this label and property (its message does:
    "Node(7) already exists with label `User` and property `name` = 'x'")."""
    text = exc.message or str(exc)
    return f"label `{label}`" in text and f"property `{prop}`" in text


def _secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _public(user: dict) -> dict:
    return {k: v for k, v in user.items() if k != "password_hash"}


def create_user(db: Database, new: NewUser, actor: str, request_id: str | None = None) -> User:
    roles = sorted({r.value for r in new.roles})
    if Role.partner in roles and (len(roles) > 1 or not new.party):
        raise InvalidUser("a partner user has only the partner role and must name its party (PGLN)", field="party")
    if new.party and Role.partner not in roles:
        raise InvalidUser("only partner users are bound to a party", field="party")
    props = {"name": new.name, "roles": roles, "party": new.party, "display_name": new.display_name,
             "disabled": False, "created": _now(),
             "password_hash": hash_password(new.password) if new.password else None}

    def work(tx):
        if run(tx, "security/user_get", user=new.name):
            raise Conflict(f"user {new.name!r} already exists", field="name")
        run(tx, "security/user_create", props={k: v for k, v in props.items() if v is not None})
        audit.record(tx, actor=actor, action="user.create", subject=f"user:{new.name}", after=_public(props),
                     request_id=request_id)

    try:
        db.write_tx(work)
    except ConstraintError as exc:
        if not _violates(exc, "User", "name"):
            raise  # another constraint (never a name clash): not the caller's fault, not a 409
        raise Conflict(f"user {new.name!r} already exists", field="name") from exc
    return get_user(db, new.name)


def get_user(db: Database, name: str) -> User:
    rows = db.read("security/user_get", user=name)
    if not rows:
        raise NotFound(f"no user {name!r}", field="name")
    u = rows[0]["user"]
    return User(**{k: _native(v) for k, v in _public(u).items() if v is not None})


def list_users(db: Database) -> list[User]:
    return [User(**{k: _native(v) for k, v in r["user"].items() if v is not None}, keys=r["keys"])
            for r in db.read("security/user_list")]


def update_user(db: Database, name: str, actor: str, *, roles: list[Role] | None = None,
                disabled: bool | None = None, password: str | None = None, request_id: str | None = None) -> User:
    changes: dict = {}
    if roles is not None:
        changes["roles"] = sorted({r.value for r in roles})
    if disabled is not None:
        changes["disabled"] = disabled
    if password is not None:
        if len(password) < 12:
            raise InvalidUser("a password has at least 12 characters", field="password")
        changes["password_hash"] = hash_password(password)

    def work(tx):
        found = run(tx, "security/user_get", user=name)
        if not found:
            raise NotFound(f"no user {name!r}", field="name")
        before = _public(found[0]["user"])
        roles_after = changes.get("roles", before.get("roles") or [])
        if Role.partner in roles_after and (len(roles_after) > 1 or not before.get("party")):
            raise InvalidUser("a partner user has only the partner role and a party", field="roles")
        run(tx, "security/user_update", user=name, changes=changes)
        shown = {k: ("(changed)" if k == "password_hash" else v) for k, v in changes.items()}
        audit.record(tx, actor=actor, action="user.update", subject=f"user:{name}",
                     before={k: before.get(k) for k in shown}, after=shown, request_id=request_id)

    db.write_tx(work)
    _cache.clear()  # roles or state changed: re-read keys
    return get_user(db, name)


def issue_key(db: Database, user: str, new: NewKey, actor: str, request_id: str | None = None) -> IssuedKey:
    key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    created = _now()
    expires = created + timedelta(days=new.expires_in_days) if new.expires_in_days else None
    props = {"id": key_id, "hash": _secret_hash(secret), "label": new.label, "created": created, "expires": expires}

    def work(tx):
        if not run(tx, "security/key_create", user=user, props={k: v for k, v in props.items() if v is not None}):
            raise NotFound(f"no user {user!r}", field="user")
        audit.record(tx, actor=actor, action="key.issue", subject=f"key:{key_id}",
                     after={"user": user, "label": new.label, "expires": expires}, request_id=request_id)

    db.write_tx(work)
    return IssuedKey(id=key_id, user=user, key=f"{KEY_PREFIX}{key_id}_{secret}", expires=expires)


def list_keys(db: Database, user: str | None = None) -> list[ApiKey]:
    return [ApiKey(user=r["user"], **{k: _native(v) for k, v in r["key"].items() if v is not None})
            for r in db.read("security/key_list", user=user)]


def revoke_key(db: Database, key_id: str, actor: str, request_id: str | None = None) -> None:
    def work(tx):
        rows = run(tx, "security/key_revoke", id=key_id, now=_now())
        if not rows:
            raise NotFound(f"no API key {key_id!r}", field="id")
        audit.record(tx, actor=actor, action="key.revoke", subject=f"key:{key_id}",
                     before={"revoked": rows[0]["before"]}, after={"revoked": True}, request_id=request_id)

    db.write_tx(work)
    with _cache_lock:
        _cache.pop(key_id, None)


def _cached(key_id: str) -> tuple[bool, _Key | None]:
    """(hit, key) from the key cache, without touching the database."""
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(key_id)
    return (True, hit[1]) if hit and hit[0] > now else (False, None)


def _key_from(key_id: str, row: dict | None) -> _Key | None:
    if row is None:
        return None
    key, user = row["key"], row["user"]
    expires = _native(key.get("expires"))
    principal = None if key.get("revoked") or user.get("disabled") else Principal(
        id=user["name"], roles=frozenset(user.get("roles") or []), party=user.get("party"), via=f"api-key:{key_id}")
    return _Key(hash=key["hash"], principal=principal, expires=expires.timestamp() if expires else None)


def _lookup(db: Database, key_id: str) -> _Key | None:
    ttl = db.settings.api_key_cache_seconds
    hit, found = _cached(key_id)
    if hit:
        return found
    rows = db.read("security/key_lookup", id=key_id)
    found = _key_from(key_id, rows[0] if rows else None)
    if ttl > 0:
        with _cache_lock:
            if len(_cache) > 10_000:
                _cache.clear()
            _cache[key_id] = (time.monotonic() + ttl, found)
    return found


def _split_key(presented: str) -> tuple[str, str]:
    if not presented.startswith(KEY_PREFIX) or len(presented) > 128:
        raise Unauthorized("missing or invalid credentials")
    key_id, _, secret = presented[len(KEY_PREFIX):].partition("_")
    if not key_id or not secret:
        raise Unauthorized("missing or invalid credentials")
    return key_id, secret


def _key_principal(secret: str, key: _Key | None) -> Principal:
    refused = Unauthorized("missing or invalid credentials")
    if key is None or not hmac.compare_digest(key.hash, _secret_hash(secret)):
        raise refused
    if key.principal is None or (key.expires is not None and key.expires <= _now().timestamp()):
        raise refused
    return key.principal


def authenticate_key(db: Database, presented: str) -> Principal:
    """The principal for an API key, or Unauthorized (one vague message for every failure)."""
    key_id, secret = _split_key(presented)
    return _key_principal(secret, _lookup(db, key_id))


def authenticate_cached_key(presented: str) -> Principal | None:
    """`authenticate_key` when the key is in the cache (no I/O, safe on the event loop);
    None when the database must be asked."""
    key_id, secret = _split_key(presented)
    hit, key = _cached(key_id)
    return _key_principal(secret, key) if hit else None
