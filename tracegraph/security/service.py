"""Users and API keys. Keys are `tgk_<id>_<secret>`: only a SHA-256 of the secret is
stored (the secret is 256 random bits, so a slow hash adds nothing), it is shown once,
and it can be revoked or expire. Every change is audited in its own transaction."""
from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
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
_cache: dict[str, tuple[float, dict | None]] = {}
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


def _cached(key_id: str) -> tuple[bool, dict | None]:
    """(hit, row) from the key cache, without touching the database."""
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(key_id)
    return (True, hit[1]) if hit and hit[0] > now else (False, None)


def _lookup(db: Database, key_id: str) -> dict | None:
    ttl = db.settings.api_key_cache_seconds
    hit, row = _cached(key_id)
    if hit:
        return row
    rows = db.read("security/key_lookup", id=key_id)
    row = rows[0] if rows else None
    if ttl > 0:
        with _cache_lock:
            if len(_cache) > 10_000:
                _cache.clear()
            _cache[key_id] = (time.monotonic() + ttl, row)
    return row


def _split_key(presented: str) -> tuple[str, str]:
    if not presented.startswith(KEY_PREFIX) or len(presented) > 128:
        raise Unauthorized("missing or invalid credentials")
    key_id, _, secret = presented[len(KEY_PREFIX):].partition("_")
    if not key_id or not secret:
        raise Unauthorized("missing or invalid credentials")
    return key_id, secret


# Key id -> (the key row it was made from, its principal or None when refused whatever the time,
# its expiry as a POSIX timestamp): the row's checks and the principal are made once per row read,
# not per call (a cached key's call spent more time here than in the rest of its auth).
_made: dict[str, tuple[dict, Principal | None, float | None]] = {}


def _made_from(key_id: str, row: dict) -> tuple[dict, Principal | None, float | None]:
    made = _made.get(key_id)
    if made is not None and made[0] is row:
        return made
    key, user = row["key"], row["user"]
    expires = _native(key.get("expires"))
    principal = None if key.get("revoked") or user.get("disabled") else Principal(
        id=user["name"], roles=frozenset(user.get("roles") or []), party=user.get("party"), via=f"api-key:{key_id}")
    made = (row, principal, expires.timestamp() if expires else None)
    if len(_made) > 10_000:
        _made.clear()
    _made[key_id] = made
    return made


def _key_principal(key_id: str, secret: str, row: dict | None) -> Principal:
    refused = Unauthorized("missing or invalid credentials")
    if row is None or not hmac.compare_digest(row["key"]["hash"], _secret_hash(secret)):
        raise refused
    _, principal, expires = _made_from(key_id, row)
    if principal is None or (expires is not None and expires <= _now().timestamp()):
        raise refused
    return principal


def authenticate_key(db: Database, presented: str) -> Principal:
    """The principal for an API key, or Unauthorized (one vague message for every failure)."""
    key_id, secret = _split_key(presented)
    return _key_principal(key_id, secret, _lookup(db, key_id))


def authenticate_cached_key(presented: str) -> Principal | None:
    """`authenticate_key` when the key is in the cache (no I/O, safe on the event loop);
    None when the database must be asked."""
    key_id, secret = _split_key(presented)
    hit, row = _cached(key_id)
    return _key_principal(key_id, secret, row) if hit else None
