"""Signed webhook delivery from the outbox that alert recording fills (after commit).

Each POST carries `X-Tracegraph-Signature: sha256=<hex HMAC-SHA256 of timestamp + "." + body>`
and `X-Tracegraph-Timestamp`; failures are retried with exponential backoff and every
attempt is logged on the Delivery node in Neo4j.
"""
from __future__ import annotations

import hashlib
import hmac
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import datetime, timezone

from graph.db import Database, run
from tracegraph.audit import service as audit

_sending = threading.Lock()  # one sender per process, so no pending notification goes out twice from it
SIGNATURE_HEADER = "X-Tracegraph-Signature"
TIMESTAMP_HEADER = "X-Tracegraph-Timestamp"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def _post(url: str, body: bytes, headers: dict, timeout: float) -> int:
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def deliver_pending(db: Database, *, limit: int = 500, sleep: Callable[[float], None] = time.sleep) -> dict:
    """Send pending notifications; each gets up to `webhook_max_attempts` tries, waiting
    backoff * 2^(n-1) seconds between them. Returns counts by outcome. Delivery is at least
    once (two processes may both send): receivers dedupe on `X-Tracegraph-Delivery`."""
    with _sending:
        return _deliver(db, limit, sleep)


def _deliver(db: Database, limit: int, sleep: Callable[[float], None]) -> dict:
    s = db.settings
    secret = s.webhook_secret
    done = {"delivered": 0, "failed": 0}
    for d in db.read("alerts/pending", limit=limit):
        attempts, state = [], "failed"
        body = d["payload"].encode()
        for n in range(1, s.webhook_max_attempts + 1):
            started = time.perf_counter()
            status, error = None, None
            if not secret:
                error = "TRACEGRAPH_WEBHOOK_SECRET is not set: refusing to send unsigned notifications"
            else:
                stamp = str(int(time.time()))
                headers = {"Content-Type": "application/json", TIMESTAMP_HEADER: stamp,
                           SIGNATURE_HEADER: sign(secret, stamp, body), "X-Tracegraph-Delivery": d["id"]}
                try:
                    status = _post(d["url"], body, headers, s.webhook_timeout_seconds)
                    if not 200 <= status < 300:
                        error = f"HTTP {status}"
                except (OSError, ValueError) as exc:
                    error = f"{type(exc).__name__}: {exc}"
            attempts.append({"n": d["attempts"] + n, "at": datetime.now(timezone.utc), "status": status,
                             "error": error, "seconds": round(time.perf_counter() - started, 4)})
            if error is None:
                state = "delivered"
                break
            if not secret:
                break
            if n < s.webhook_max_attempts:
                sleep(s.webhook_backoff_seconds * 2 ** (n - 1))
        done[state] += 1

        def log(tx, d=d, state=state, attempts=attempts) -> None:
            run(tx, "alerts/delivery_log", id=d["id"], state=state, attempts=attempts,
                now=datetime.now(timezone.utc))
            audit.record(tx, actor="system", action=f"webhook.{state}", subject=d["id"],
                         after={"url": d["url"], "attempts": len(attempts)})

        db.write_tx(log)
    return done
