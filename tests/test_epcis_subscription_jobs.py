"""EPCIS subscription runs as durable jobs (issue 19): one `epcis.subscription` job per due run
however many API processes schedule it, sent by the job workers to a local HTTP receiver, retried
with backoff, dead-lettered when its attempts are spent. Polls with generous deadlines."""
from __future__ import annotations

import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from api.main import create_app
from loaders.epcis.document import parse_document
from tests import scenario as s
from tests.conftest import issue_key
from tests.epcis import document
from tests.test_webhooks import Receiver, receiver  # noqa: F401 (a fixture)
from tracegraph.capture.writer import write_document
from tracegraph.epcis_query import service, subscriptions
from tracegraph.epcis_query.models import NewNamedQuery, NewSubscription
from tracegraph.jobs import service as jobs
from tracegraph.security.models import Principal

SECRET = "subscription-jobs-secret"
KIND = "epcis.subscription"
ADMIN = Principal(id="subscriber-test", roles=frozenset({"admin"}))


@contextmanager
def api(db, **overrides):
    """One API process (its own dispatcher and worker) with a webhook secret and short waits."""
    settings = db.settings.model_copy(update={
        "esign_required": False, "webhook_secret": SECRET, "webhook_backoff_seconds": 0.05,
        "subscription_poll_seconds": 0.2, "job_poll_seconds": 0.2, **overrides})
    with TestClient(create_app(settings)) as made:
        made.headers["Authorization"] = f"Bearer {issue_key(db, f'sub-{uuid.uuid4().hex[:8]}', ['admin'])}"
        yield made


def _until(fetch, done, deadline: float = 180.0):
    """Fetch until `done(value)` or the deadline; the last value (the test asserts on it)."""
    end = time.monotonic() + deadline
    value = fetch()
    while not done(value) and time.monotonic() < end:
        time.sleep(0.1)
        value = fetch()
    return value


def _subscribe(client, receiver_url: str, name: str, query: dict, **options) -> dict:
    client.post("/epcis/queries", json={"name": name, "query": query})
    made = client.post(f"/epcis/queries/{name}/subscriptions", json={"dest": receiver_url, **options})
    assert made.status_code == 201, made.text
    return made.json()


def _event_ids(body: bytes) -> list[str]:
    return [e["eventID"] for e in json.loads(body)["epcisBody"]["queryResults"]["resultsBody"]["eventList"]]


def _jobs(client, status: str | None = None) -> list[dict]:
    return client.get("/v1/jobs", params={"kind": KIND, **({"status": status} if status else {})}).json()["jobs"]


def test_concurrent_schedulers_queue_one_job_for_one_run(db):
    service.create_named(db, NewNamedQuery(name="all", query={}), ADMIN)
    subscriptions.create(db, "all", NewSubscription(dest="http://127.0.0.1:9/x", schedule={"second": "*"},
                                                    reportIfEmpty=True), ADMIN)
    [row] = db.read("epcis/subscriptions_active", stream=None)
    moment = datetime.now(UTC).replace(microsecond=0)
    with ThreadPoolExecutor(4) as pool:
        queued = list(pool.map(lambda _: subscriptions.queue_run(db, row, moment), range(4)))
    assert ([q for q in queued if q], [j.id for j in jobs.listing(db, kind=KIND).jobs]) == \
        ([f"{KIND}:{row['subscription']['id']}:{moment.isoformat()}"],) * 2


def test_two_api_processes_deliver_each_scheduled_run_once(db, receiver):  # noqa: F811
    r = receiver()
    with api(db) as one, api(db):
        sub = _subscribe(one, r.url, "nothing", {"eventType": ["AssociationEvent"]}, schedule={"second": "*"},
                         reportIfEmpty=True)
        _until(lambda: len(r.requests), lambda n: n >= 3)
        one.delete(f"/epcis/queries/nothing/subscriptions/{sub['subscriptionID']}")
    # both processes stopped (their workers finished the job in hand): nothing is sent any more
    sent = {j.id: j.payload["window"] for j in jobs.listing(db, kind=KIND, status="succeeded").jobs
            if "events" in (j.result or {})}
    delivered = [headers["webhook-id"] for headers, _ in r.requests]
    runs = [sent.get(job_id) for job_id in delivered]  # the second each delivered run fired
    assert (len(delivered) >= 3, sorted(delivered), len(set(runs)) == len(runs)) == (True, sorted(sent), True)


def test_a_receiver_failing_twice_gets_the_document_on_the_third_attempt(db, receiver):  # noqa: F811
    r = receiver(fail=2)
    with api(db) as client:
        _subscribe(client, r.url, "all", {}, stream=True)
        write_document(db, parse_document(document(s.events()), "after-subscribing"))
        [job] = _until(lambda: _jobs(client), lambda found: found and found[0]["status"] == "succeeded")
        [sub] = client.get("/epcis/queries/all/subscriptions").json()
    assert (job["attempts"], len(r.requests), {h["webhook-id"] for h, _ in r.requests},
            sorted(_event_ids(r.requests[-1][1])), sub["lastStatus"], sub["lastError"]) == \
        (3, 3, {job["id"]}, sorted(e["eventID"] for e in s.events()), "delivered", None)


def test_a_receiver_that_always_fails_ends_dead_lettered(db, receiver):  # noqa: F811
    r = receiver(fail=1000)
    with api(db, webhook_max_attempts=3) as client:
        _subscribe(client, r.url, "all", {}, stream=True)
        write_document(db, parse_document(document(s.events()), "after-subscribing"))
        dead = _until(lambda: _jobs(client, "dead"), bool)
        [sub] = client.get("/epcis/queries/all/subscriptions").json()
    assert ([(j["attempts"], j["error"]) for j in dead], len(r.requests), sub["lastStatus"], sub["lastError"],
            sub["lastJob"]) == ([(3, "HTTP 500")], 3, "dead-lettered", "HTTP 500", dead[0]["id"] if dead else None)


def test_a_dead_lettered_run_is_on_the_audit_trail(db, receiver):  # noqa: F811
    r = receiver(fail=1000)
    with api(db, webhook_max_attempts=1) as client:
        sub = _subscribe(client, r.url, "all", {}, stream=True)
        write_document(db, parse_document(document(s.events()), "after-subscribing"))
        _until(lambda: _jobs(client, "dead"), bool)
        trail = client.get("/v1/audit", params={"subject": sub["subscriptionID"]}).json()
    assert [e["action"] for e in trail] == ["epcis.subscription.create", "epcis.subscription.dead-lettered"]
