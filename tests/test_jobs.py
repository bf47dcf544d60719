"""Durable jobs (issue 18): leases, one taker per job, take-over after a worker dies, retries
with backoff, the dead-letter state, and the API that shows them."""
from __future__ import annotations

import json
import threading
import time

import pytest

from tests import scenario as s
from tests.epcis import document
from tracegraph.jobs import registry
from tracegraph.jobs import service as jobs
from tracegraph.jobs.errors import LeaseLost, PermanentJobError
from tracegraph.jobs.worker import Worker

CALLS: list[str] = []


@registry.register("test.count")
def _count(ctx):
    CALLS.append(ctx.job["id"])
    return {"n": len(CALLS)}


@registry.register("test.broken")
def _broken(ctx):
    raise RuntimeError("always broken")


@registry.register("test.refused")
def _refused(ctx):
    raise PermanentJobError("bad input")


@pytest.fixture
def quick(db, monkeypatch):
    monkeypatch.setattr(db.settings, "job_backoff_seconds", 0)
    CALLS.clear()
    return db


def _until(predicate, seconds: float = 120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError("condition not met before the deadline")


def test_a_job_runs_once_and_succeeds(quick):
    job_id = jobs.submit(quick, "test.count")
    Worker(quick).run_once()
    assert (jobs.get(quick, job_id).status.value, CALLS) == ("succeeded", [job_id])


def test_enqueueing_the_same_id_twice_is_one_job(quick):
    jobs.submit(quick, "test.count", job_id="same")
    jobs.submit(quick, "test.count", job_id="same")
    assert jobs.listing(quick).total == 1


def test_a_leased_job_is_not_taken_again(quick):
    jobs.submit(quick, "test.count")
    first = jobs.claim(quick, "w1")
    assert (first is not None, jobs.claim(quick, "w2")) == (True, None)


def test_concurrent_takers_never_share_a_job(quick):
    for n in range(40):
        jobs.submit(quick, "test.count", job_id=f"j{n:02d}")
    taken: list[str] = []
    lock = threading.Lock()

    def take(owner: str) -> None:
        while (claimed := jobs.claim(quick, owner)) is not None or jobs.listing(quick, status="queued").total:
            if claimed is not None:
                with lock:
                    taken.append(claimed[0]["id"])
    threads = [threading.Thread(target=take, args=(f"w{n}",)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert sorted(taken) == [f"j{n:02d}" for n in range(40)]


def test_an_expired_lease_is_taken_over(quick, monkeypatch):
    monkeypatch.setattr(quick.settings, "job_lease_seconds", 1)
    job_id = jobs.submit(quick, "test.count")
    jobs.claim(quick, "dead-worker")
    job, _, orphan = _until(lambda: jobs.claim(quick, "live-worker"))
    assert (job["id"], orphan, job["attempts"], job["owner"]) == (job_id, True, 2, "live-worker")


def test_the_old_owner_cannot_finish_after_a_take_over(quick, monkeypatch):
    monkeypatch.setattr(quick.settings, "job_lease_seconds", 1)
    jobs.submit(quick, "test.count")
    job, old_token, _ = jobs.claim(quick, "slow-worker")
    _until(lambda: jobs.claim(quick, "live-worker"))
    with pytest.raises(LeaseLost):
        quick.write_tx(lambda tx: jobs.finish(tx, job["id"], old_token, None))


def test_a_failing_job_is_retried_then_dead(quick):
    job_id = jobs.submit(quick, "test.broken", max_attempts=3)
    worker = Worker(quick)
    while worker.run_once():
        pass
    job = jobs.get(quick, job_id)
    assert (job.status.value, job.attempts, "always broken" in job.error) == ("dead", 3, True)


def test_a_retry_waits_for_its_backoff(quick, monkeypatch):
    monkeypatch.setattr(quick.settings, "job_backoff_seconds", 3600)
    job_id = jobs.submit(quick, "test.broken", max_attempts=3)
    worker = Worker(quick)
    ran = [worker.run_once(), worker.run_once()]
    job = jobs.get(quick, job_id)
    assert (ran, job.status.value, job.run_at > job.created) == ([True, False], "queued", True)


def test_a_refused_job_fails_without_retries(quick):
    job_id = jobs.submit(quick, "test.refused", max_attempts=5)
    Worker(quick).run_once()
    job = jobs.get(quick, job_id)
    assert (job.status.value, job.attempts) == ("failed", 1)


def test_an_unknown_kind_fails(quick):
    job_id = jobs.submit(quick, "no.such.kind")
    Worker(quick).run_once()
    assert jobs.get(quick, job_id).status.value == "failed"


# --- the API ----------------------------------------------------------------------------------

def test_a_capture_is_a_job_listed_at_v1_jobs(client):
    response = client.post("/epcis/capture", content=json.dumps(document(s.events())).encode(),
                           headers={"Content-Type": "application/ld+json"})
    job_id = response.json()["jobID"]
    job = _until(lambda: (j := client.get(f"/v1/jobs/{job_id}").json())["status"] == "succeeded" and j)
    assert (job["kind"], job["result"]["events_new"]) == ("capture", len(s.events()))


def test_jobs_list_filters_by_kind_and_pages(client):
    db = client.app.state.db
    for n in range(3):
        jobs.submit(db, "test.count", job_id=f"page-{n}", delay_seconds=3600)
    body = client.get("/v1/jobs", params={"kind": "capture"}).json()
    page = client.get("/v1/jobs", params={"limit": 2}).json()
    assert (body["total"], page["count"], page["total"], page["next_offset"]) == (0, 2, 3, 2)


def test_unknown_job_is_404(client):
    assert client.get("/v1/jobs/nope").status_code == 404


def test_background_sweep_answers_202_and_runs_as_a_job(client):
    response = client.post("/v1/rules/run", params={"background": "true"})
    job_id = response.json()["jobID"]
    job = _until(lambda: (j := client.get(f"/v1/jobs/{job_id}").json())["status"] != "queued"
                 and j["status"] != "running" and j)
    assert (response.status_code, job["kind"], job["status"]) == (202, "rules.sweep", "succeeded")


def test_background_sweep_with_an_unknown_rule_is_refused_at_once(client):
    # `rule` is a list of RuleCode now (API conventions): an unknown code is a 422 before any job is queued
    assert client.post("/v1/rules/run", params={"background": "true", "rule": "NOPE"}).status_code == 422


def test_cli_worker_once_runs_the_due_jobs_and_exits(quick, cli):
    job_id = jobs.submit(quick, "test.count")
    result = cli("worker", "--once")
    assert (result.exit_code, "1 job(s) run" in result.output, jobs.get(quick, job_id).status.value) == \
        (0, True, "succeeded")
