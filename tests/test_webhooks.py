"""Signed webhooks to a local HTTP server (127.0.0.1, random free port): HMAC-SHA256
header, retries with exponential backoff, and the delivery log in Neo4j."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.epcis import lgtin, receive, sgtin, transform
from tests.test_rules_support import load
from tracegraph.alerts import service as alerts
from tracegraph.alerts import webhooks
from tracegraph.rules import service as rules
from tracegraph.rules.models import RulesUpdate, Webhook

SECRET = "s3cret-for-tests"
D1 = sgtin("D1")


class Receiver:
    """Answers `fail` 500s first, then 204; keeps every request."""

    def __init__(self, fail: int = 0):
        self.fail, self.requests = fail, []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                self.send_response(500 if len(receiver.requests) <= receiver.fail else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(fail: int = 0) -> Receiver:
        made.append(Receiver(fail))
        return made[-1]
    yield make
    for r in made:
        r.close()


@pytest.fixture
def signed(db, monkeypatch):
    monkeypatch.setattr(db.settings, "webhook_secret", SECRET)
    monkeypatch.setattr(db.settings, "webhook_max_attempts", 3)
    monkeypatch.setattr(db.settings, "webhook_backoff_seconds", 0.5)
    return db


def alert_with_hook(db, url, **hook):
    rules.update(db, RulesUpdate(webhooks=[Webhook(url=url, **hook)]), principal="t")
    load(db, [transform(0, input_lots=[lgtin("RAW")], outputs=[D1], lot_number="FG", site=1),
              receive([D1], 100, site=2)])


def test_delivery_is_signed_with_hmac_sha256(signed, receiver):
    r = receiver()
    alert_with_hook(signed, r.url)
    webhooks.deliver_pending(signed)
    headers, body = r.requests[0]
    assert webhooks.verify(SECRET, headers["X-Tracegraph-Timestamp"], body, headers["X-Tracegraph-Signature"])


def test_payload_names_the_alert(signed, receiver):
    r = receiver()
    alert_with_hook(signed, r.url)
    webhooks.deliver_pending(signed)
    payload = json.loads(r.requests[0][1])
    assert (payload["type"], payload["alert"]["rule"], payload["alert"]["subject"]) == \
        ("alert.opened", "RECEIVED_NOT_SHIPPED", D1)


def test_a_tampered_body_fails_verification(signed, receiver):
    r = receiver()
    alert_with_hook(signed, r.url)
    webhooks.deliver_pending(signed)
    headers, body = r.requests[0]
    assert not webhooks.verify(SECRET, headers["X-Tracegraph-Timestamp"], body + b" ",
                               headers["X-Tracegraph-Signature"])


def test_failures_are_retried_with_exponential_backoff(signed, receiver):
    r = receiver(fail=2)
    alert_with_hook(signed, r.url)
    waits: list[float] = []
    outcome = webhooks.deliver_pending(signed, sleep=waits.append)
    assert (outcome, waits, len(r.requests)) == ({"delivered": 1, "failed": 0}, [0.5, 1.0], 3)


def test_delivery_log_records_every_attempt(signed, receiver):
    r = receiver(fail=2)
    alert_with_hook(signed, r.url)
    webhooks.deliver_pending(signed, sleep=lambda s: None)
    [logged] = alerts.deliveries(signed)
    assert (logged.state, logged.attempts, [a.status for a in logged.log]) == ("delivered", 3, [500, 500, 204])


def test_gives_up_after_max_attempts(signed, receiver):
    r = receiver(fail=10)
    alert_with_hook(signed, r.url)
    webhooks.deliver_pending(signed, sleep=lambda s: None)
    [logged] = alerts.deliveries(signed)
    assert (logged.state, logged.attempts, logged.last_error) == ("failed", 3, "HTTP 500")


def test_unreachable_endpoint_is_logged_as_failed(signed, receiver):
    r = receiver()
    url = r.url
    r.close()
    alert_with_hook(signed, url)
    webhooks.deliver_pending(signed, sleep=lambda s: None)
    assert alerts.deliveries(signed)[0].state == "failed"


def test_only_matching_teams_are_notified(signed, receiver):
    r = receiver()
    alert_with_hook(signed, r.url, teams=["logistics"])
    webhooks.deliver_pending(signed)
    assert r.requests == []


def test_redetection_does_not_notify_again(signed, receiver):
    r = receiver()
    alert_with_hook(signed, r.url)
    rules.sweep(signed)
    webhooks.deliver_pending(signed)
    assert len(r.requests) == 1


def test_no_secret_means_nothing_is_sent_unsigned(db, receiver, monkeypatch):
    monkeypatch.setattr(db.settings, "webhook_secret", None)
    r = receiver()
    alert_with_hook(db, r.url)
    webhooks.deliver_pending(db)
    assert (r.requests, alerts.deliveries(db)[0].state) == ([], "failed")


def test_api_delivery_log(client, receiver, monkeypatch):
    db = client.app.state.db
    monkeypatch.setattr(db.settings, "webhook_secret", SECRET)
    r = receiver()
    alert_with_hook(db, r.url)
    client.post("/v1/rules/run")  # the send is a job for a worker (here the app's own), not in the request
    import time
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        body = client.get("/v1/alerts/deliveries").json()
        if body and body[0]["state"] != "pending":
            break
        time.sleep(0.1)
    assert [(d["state"], d["url"]) for d in body] == [("delivered", r.url)]


def test_delivery_carries_standard_webhooks_headers(signed, receiver):
    from standardwebhooks.webhooks import Webhook as Verifier
    r = receiver()
    alert_with_hook(signed, r.url)
    webhooks.deliver_pending(signed)
    headers, body = r.requests[0]
    assert Verifier(SECRET.encode()).verify(body, headers)["alert"]["subject"] == D1


def test_a_failed_send_is_retried_by_the_webhook_job_then_dead(signed, receiver, monkeypatch):
    from tracegraph.alerts import jobs as webhook_jobs
    from tracegraph.jobs import service as jobs
    from tracegraph.jobs.worker import Worker
    monkeypatch.setattr(signed.settings, "webhook_backoff_seconds", 0)
    r = receiver(fail=10)
    alert_with_hook(signed, r.url)
    webhook_jobs.enqueue_pending(signed)
    worker = Worker(signed, kinds=["webhook"])
    while worker.run_once():
        pass
    [job] = jobs.listing(signed, kind="webhook").jobs
    assert (job.status.value, job.attempts, len(r.requests), alerts.deliveries(signed)[0].state) == \
        ("dead", 3, 3, "failed")


def test_alerts_raised_by_a_capture_go_out_without_a_sweep(client, receiver, monkeypatch):
    """POST /epcis/capture raises the alert in the write and sends its webhook right after."""
    import time

    from tests.epcis import document
    db = client.app.state.db
    monkeypatch.setattr(db.settings, "webhook_secret", SECRET)
    r = receiver()
    rules.update(db, RulesUpdate(webhooks=[Webhook(url=r.url)]), principal="t")
    body = document([transform(0, input_lots=[lgtin("RAW")], outputs=[D1], lot_number="FG", site=1),
                     receive([D1], 100, site=2)])
    client.post("/epcis/capture", content=json.dumps(body).encode(), headers={"Content-Type": "application/ld+json"})
    deadline = time.monotonic() + 120  # the capture, then its webhook, each a job for the app's worker
    while not r.requests and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [json.loads(b)["alert"]["rule"] for _, b in r.requests] == ["RECEIVED_NOT_SHIPPED"]
