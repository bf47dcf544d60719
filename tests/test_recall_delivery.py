"""Notice delivery: e-mail through a local SMTP server (aiosmtpd) with the HTML notice and the
PDF attached, and a signed webhook; failures retried with backoff; every delivery logged."""
import email
import http.server
import json
import socket
import threading
import time

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient

from api.main import create_app
from tests import partners as p
from tests import scenario as s
from tests.conftest import issue_key
from tracegraph.alerts import webhooks
from tracegraph.campaigns import delivery, service
from tracegraph.campaigns.models import CampaignRequest

SECRET = "recall-test-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, inbox
    controller.stop()


@pytest.fixture
def hook():
    """A webhook receiver that fails each delivery's first attempt (HTTP 503)."""
    got: list[tuple[dict, bytes]] = []
    seen: set[str] = set()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            delivery_id = self.headers["X-Tracegraph-Delivery"]
            if delivery_id not in seen:
                seen.add(delivery_id)
                self.send_response(503)
            else:
                got.append((dict(self.headers), body))
                self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", got
    server.shutdown()


@pytest.fixture
def app(db, smtp, hook):
    p.load(db)
    settings = db.settings.model_copy(update={
        "smtp_host": "127.0.0.1", "smtp_port": smtp[0], "recall_webhook_url": hook[0], "webhook_secret": SECRET,
        "recall_delivery_backoff_seconds": 0.01, "esign_required": False})
    with TestClient(create_app(settings)) as client:
        client.headers["Authorization"] = f"Bearer {issue_key(db, 'delivery-admin', ['admin'])}"
        client.put("/v1/master/parties", json=[{"epc": p.DIST, "name": "Dist Co", "contact": "recalls@dist.example"},
                                               {"epc": p.HOSP, "name": "St. Elsewhere",
                                                "contact": "mailto:pharmacy@hospital.example"}])
        yield client


def campaign(client) -> str:
    r = client.post("/v1/recalls", json={"starts": [{"kind": "lot", "id": s.FG1}], "classification": "I",
                                         "type": "removal", "depth": "user", "reason": "seal may leak"})
    return r.json()["id"]


def deliveries(client, cid, n: int) -> list[dict]:
    """Poll (generous deadline) until n deliveries are logged; they run on a background thread."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        found = client.get(f"/v1/recalls/{cid}/deliveries").json()["deliveries"]
        if len(found) >= n:
            return found
        time.sleep(0.2)
    raise AssertionError(f"only {len(found)} of {n} deliveries were logged")


def test_notify_queues_a_delivery_per_notice(app):
    cid = campaign(app)
    answer = app.post(f"/v1/recalls/{cid}/notify").json()
    deliveries(app, cid, 4)
    assert answer == {"issued": 2, "deliveries_queued": 2}


def test_every_notice_is_mailed_to_its_contact(app, smtp):
    cid = campaign(app)
    app.post(f"/v1/recalls/{cid}/notify")
    deliveries(app, cid, 4)
    assert sorted(m["To"] for m in smtp[1].messages) == ["pharmacy@hospital.example", "recalls@dist.example"]


def test_the_mail_carries_the_html_notice_and_the_pdf(app, smtp):
    cid = campaign(app)
    app.post(f"/v1/recalls/{cid}/notify")
    deliveries(app, cid, 4)
    parts = {part.get_content_type() for part in smtp[1].messages[0].walk()}
    assert {"text/plain", "text/html", "application/pdf"} <= parts


def test_webhook_is_signed_and_retried_after_a_failure(app, hook):
    cid = campaign(app)
    app.post(f"/v1/recalls/{cid}/notify")
    logged = deliveries(app, cid, 4)
    headers, body = hook[1][0]
    ok = webhooks.verify(SECRET, headers["X-Tracegraph-Timestamp"], body, headers["X-Tracegraph-Signature"])
    hooks = [d for d in logged if d["channel"] == "webhook"]
    assert (ok, json.loads(body)["kind"], [(d["state"], d["attempts"]) for d in hooks]) == \
        (True, "recall.notice", [("delivered", 2), ("delivered", 2)])


def test_delivery_gives_up_after_the_bounded_attempts_and_logs_the_error(db):
    p.load(db)
    db.write("test/party_contact", epc=p.DIST, contact="recalls@dist.example")
    dead = db.settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": free_port(),
                                          "recall_delivery_attempts": 3, "recall_delivery_backoff_seconds": 0.5})
    from graph.db import Database
    with Database(dead) as other:
        cid = service.create(other, CampaignRequest(starts=[{"kind": "lot", "id": s.FG1}], classification="II",
                                                    type="removal", depth="wholesale", reason="x"), actor="t").id
        ids = service.notify(other, cid, actor="t")
        waits: list[float] = []
        outcome = delivery.deliver(other, cid, ids, sleep=waits.append)
        logged = service.deliveries(other, cid)
    assert (outcome, waits, [(d["state"], d["attempts"]) for d in logged], "ConnectionRefused" in logged[0]["error"]) \
        == ({"delivered": 0, "failed": 1}, [0.5, 1.0], [("failed", 3)], True)
