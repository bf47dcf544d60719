"""Signed webhook delivery from the outbox that alert recording fills (after commit).

Each POST carries the Standard Webhooks headers (`webhook-id` = the delivery id, receivers
dedupe on it; `webhook-timestamp`; `webhook-signature: v1,<base64 HMAC-SHA256 of
id.timestamp.body>`; a `whsec_` secret is base64, any other is used as its bytes), and the older
`X-Tracegraph-Signature: sha256=<hex HMAC of timestamp.body>` with `X-Tracegraph-Timestamp`.
The API and workers send from `webhook` jobs (tracegraph/alerts/jobs.py: one attempt per job
run, retried with backoff, never in a request thread); `deliver_pending` sends here and now
(the CLI), with tenacity's exponential backoff. Every attempt is logged on the Delivery node.
"""
from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import tenacity
from standardwebhooks.webhooks import Webhook

from core import metrics
from core.settings import Settings
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


def standard(secret: str) -> Webhook:
    """The Standard Webhooks signer for our secret (`whsec_...` base64, else its UTF-8 bytes)."""
    return Webhook(secret if secret.startswith("whsec_") else secret.encode())


def headers_for(secret: str, delivery_id: str, body: bytes, now: datetime | None = None) -> dict[str, str]:
    now = now or datetime.now(UTC)
    stamp = str(int(now.timestamp()))
    return {"Content-Type": "application/json", "webhook-id": delivery_id, "webhook-timestamp": stamp,
            "webhook-signature": standard(secret).sign(delivery_id, now, body.decode()),
            TIMESTAMP_HEADER: stamp, SIGNATURE_HEADER: sign(secret, stamp, body), "X-Tracegraph-Delivery": delivery_id}


def post_signed(secret: str, url: str, body: bytes, delivery_id: str, timeout: float,
                content_type: str = "application/json", extra: dict[str, str] | None = None) -> int:
    """One POST signed with both header sets (recall notices and EPCIS subscriptions send
    through it too); the HTTP status. Transport errors raise httpx.HTTPError or OSError."""
    headers = headers_for(secret, delivery_id, body) | {"Content-Type": content_type} | (extra or {})
    return httpx.post(url, content=body, headers=headers, timeout=timeout).status_code


def attempt(settings: Settings, delivery: dict, n: int) -> dict:
    """One POST of a delivery: the attempt record (n, at, status, error, seconds); error None = sent."""
    started = time.perf_counter()
    status, error = None, None
    if not settings.webhook_secret:
        error = "TRACEGRAPH_WEBHOOK_SECRET is not set: refusing to send unsigned notifications"
    else:
        body = delivery["payload"].encode()
        try:
            reply = httpx.post(delivery["url"], content=body, timeout=settings.webhook_timeout_seconds,
                               headers=headers_for(settings.webhook_secret, delivery["id"], body))
            status = reply.status_code
            if not 200 <= status < 300:
                error = f"HTTP {status}"
        except (httpx.HTTPError, OSError, ValueError) as exc:
            error = f"{type(exc).__name__}: {exc}"
    metrics.webhook_deliveries.labels("delivered" if error is None else "failed").inc()
    return {"n": n, "at": datetime.now(UTC), "status": status, "error": error,
            "seconds": round(time.perf_counter() - started, 4)}


def log_outcome(db: Database, delivery: dict, state: str, attempts: list[dict]) -> None:
    """Append the attempts to the Delivery node and set its state; audited when it is final."""
    def log(tx) -> None:
        run(tx, "alerts/delivery_log", id=delivery["id"], state=state, attempts=attempts,
            now=datetime.now(UTC))
        if state != "pending":
            audit.record(tx, actor="system", action=f"webhook.{state}", subject=delivery["id"],
                         after={"url": delivery["url"], "attempts": attempts[-1]["n"]})
    db.write_tx(log)


def deliver_pending(db: Database, *, limit: int = 500, sleep: Callable[[float], None] = time.sleep) -> dict:
    """Send pending notifications now; each gets up to `webhook_max_attempts` tries, waiting
    backoff * 2^(n-1) seconds between them. Returns counts by outcome. Delivery is at least
    once (two processes may both send): receivers dedupe on `webhook-id`."""
    with _sending:
        return _deliver(db, limit, sleep)


def _deliver(db: Database, limit: int, sleep: Callable[[float], None]) -> dict:
    s = db.settings
    done = {"delivered": 0, "failed": 0}
    for d in db.read("alerts/pending", limit=limit):
        attempts: list[dict] = []
        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(s.webhook_max_attempts if s.webhook_secret else 1),
            wait=tenacity.wait_exponential(multiplier=s.webhook_backoff_seconds, exp_base=2, min=0),
            retry=tenacity.retry_if_result(lambda record: record["error"] is not None),
            sleep=sleep, retry_error_callback=lambda state: state.outcome.result())
        retrying(lambda d=d, attempts=attempts: attempts.append(attempt(s, d, d["attempts"] + len(attempts) + 1))
                 or attempts[-1])
        state = "delivered" if attempts[-1]["error"] is None else "failed"
        done[state] += 1
        log_outcome(db, d, state, attempts)
    return done
