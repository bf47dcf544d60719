"""Delivering issued notices: e-mail (SMTP, HTML with the PDF attached) and a signed webhook.

`deliver` is a plain callable (database, campaign id, notice ids): the API runs it on a
background thread after the notices are issued, the CLI runs it in place, and a job
worker can run it as it is. Each channel gets `recall_delivery_attempts` tries, waiting
backoff * 2^(n-1) seconds between them; every delivery is logged (NoticeDelivery) with
its attempts. Delivery is at least once: webhook receivers dedupe on X-Tracegraph-Delivery.
"""
from __future__ import annotations

import json
import smtplib
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import EmailMessage
from urllib.parse import quote

import httpx

from core.settings import Settings
from graph.db import Database
from tracegraph.alerts.webhooks import post_signed
from tracegraph.campaigns import render, service
from tracegraph.campaigns.models import Campaign, Notice


def reply_url(settings: Settings, campaign_id: str) -> str:
    """The console's partner page for this campaign: a browser can log in and acknowledge there
    (the acknowledgements API itself takes JSON only)."""
    return f"{settings.public_url.rstrip('/')}/#/partner?recall={quote(campaign_id, safe='')}"


def channels(settings: Settings, notice: Notice) -> list[tuple[str, str]]:
    """(channel, target) pairs this notice can go through with these settings."""
    out = []
    contact = (notice.contact or "").removeprefix("mailto:")
    if settings.smtp_host and "@" in contact:
        out.append(("email", contact))
    if settings.recall_webhook_url:
        out.append(("webhook", settings.recall_webhook_url))
    return out


def _email(settings: Settings, campaign: Campaign, notice: Notice, to: str) -> None:
    msg = EmailMessage()
    msg["Subject"] = f"{render.title(campaign)}: {notice.quantity} unit(s) at {notice.site_name or notice.site}"
    msg["From"] = settings.smtp_from
    msg["To"] = to
    msg["X-Tracegraph-Campaign"] = campaign.id
    msg["X-Tracegraph-Notice"] = notice.id
    url = reply_url(settings, campaign.id)
    msg.set_content(f"{render.title(campaign)}\n\n{campaign.reason}\n\nWhat you must do: {notice.action}\n\n"
                    f"Affected serials ({notice.quantity}):\n" + "\n".join(notice.serials) +
                    f"\n\nReply (acknowledge, units on hand): {url}\n")
    msg.add_alternative(render.notice_html(campaign, notice, url), subtype="html")
    msg.add_attachment(render.notice_pdf(campaign, notice, url), maintype="application", subtype="pdf",
                       filename=f"recall-notice-{notice.id}.pdf")
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password or "")
        smtp.send_message(msg)


def _webhook(settings: Settings, campaign: Campaign, notice: Notice, url: str, delivery_id: str) -> None:
    if not settings.webhook_secret:
        raise PermissionError("TRACEGRAPH_WEBHOOK_SECRET is not set: refusing to send unsigned notices")
    body = json.dumps({"kind": "recall.notice", "campaign": campaign.model_dump(mode="json"),
                       "notice": notice.model_dump(mode="json"), "reply_url": reply_url(settings, campaign.id)},
                      sort_keys=True).encode()
    try:
        status = post_signed(settings.webhook_secret, url, body, delivery_id, settings.webhook_timeout_seconds)
    except httpx.HTTPError as exc:
        raise OSError(f"{type(exc).__name__}: {exc}") from exc
    if not 200 <= status < 300:
        raise OSError(f"HTTP {status}")


def deliver(db: Database, campaign_id: str, notice_ids: list[str] | None = None,
            sleep: Callable[[float], None] = time.sleep) -> dict[str, int]:
    """Send these issued notices (all issued ones when None) through every configured channel."""
    s = db.settings
    campaign = service.get(db, campaign_id)
    done = {"delivered": 0, "failed": 0}
    for notice in service.notices(db, campaign_id):
        if (notice_ids is not None and notice.id not in notice_ids) or notice.state.value == "draft":
            continue
        for channel, target in channels(s, notice):
            delivery_id = str(uuid.uuid4())
            log, error = [], None
            for n in range(1, s.recall_delivery_attempts + 1):
                try:
                    if channel == "email":
                        _email(s, campaign, notice, target)
                    else:
                        _webhook(s, campaign, notice, target, delivery_id)
                    error = None
                except PermissionError as exc:  # not worth retrying
                    error = str(exc)
                    log.append({"n": n, "at": datetime.now(UTC).isoformat(), "error": error})
                    break
                except (OSError, smtplib.SMTPException, ValueError) as exc:
                    error = f"{type(exc).__name__}: {exc}"
                log.append({"n": n, "at": datetime.now(UTC).isoformat(), "error": error})
                if error is None:
                    break
                if n < s.recall_delivery_attempts:
                    sleep(s.recall_delivery_backoff_seconds * 2 ** (n - 1))
            state = "delivered" if error is None else "failed"
            done[state] += 1
            db.write("campaigns/delivery_log", notice=notice.id, id=delivery_id, channel=channel, target=target,
                     state=state, attempts=len(log), log=json.dumps(log), error=error,
                     now=datetime.now(UTC).isoformat())
    return done


_running: set[threading.Thread] = set()
_running_lock = threading.Lock()


def in_background(db: Database, campaign_id: str, notice_ids: list[str]) -> threading.Thread:
    """Run `deliver` off the request thread (a daemon thread; the log shows what happened)."""
    def work() -> None:
        try:
            deliver(db, campaign_id, notice_ids)
        finally:
            with _running_lock:
                _running.discard(threading.current_thread())

    thread = threading.Thread(target=work, daemon=True, name=f"recall-delivery-{campaign_id[:8]}")
    with _running_lock:
        _running.add(thread)
    thread.start()
    return thread


def drain(timeout: float = 60.0) -> None:
    """Let running deliveries finish before the database closes (the API's shutdown)."""
    with _running_lock:
        threads = list(_running)
    for thread in threads:
        thread.join(timeout)
