"""Atomic and durable capture under SIGKILL: a real `tracegraph serve` and a Neo4j of their own.

Documents are streamed to POST /epcis/capture; mid-stream the server (then, separately, the
Neo4j java process) is SIGKILLed and restarted. Every job that reached `success` must have its
whole document stored, and no document may be stored in part.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from core.settings import Settings
from graph import launcher, schema
from graph.db import Database
from tests.conftest import ROOT, issue_key
from tests.epcis import CP, document
from tracegraph.audit import service as audit

DOCS, EVENTS_PER_DOC = 20, 60


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _doc(i: int) -> bytes:
    events = [{"type": "ObjectEvent", "eventID": f"urn:uuid:c0000000-0000-4000-8000-{i:06d}{k:06d}",
               "action": "ADD", "bizStep": "commissioning", "disposition": "active",
               "eventTime": "2025-01-01T00:00:00.000Z", "eventTimeZoneOffset": "+00:00",
               "epcList": [f"urn:epc:id:sgtin:{CP}.812345.C{i}-{k}"],
               "bizLocation": {"id": f"urn:epc:id:sgln:{CP}.00001.0"}} for k in range(EVENTS_PER_DOC)]
    return json.dumps(document(events)).encode()


@pytest.fixture(scope="module")
def own_neo4j(tmp_path_factory):
    home = tmp_path_factory.mktemp("crash-neo4j")
    settings = Settings(neo4j_bolt_port=_free_port(), neo4j_home=home, neo4j_password="tracegraph-test",
                        neo4j_heap="512m", neo4j_pagecache_mb=64)
    launcher.start(settings)
    yield settings
    launcher.stop(settings)


class Server:
    def __init__(self, settings: Settings, tmp: Path):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ, TRACEGRAPH_NEO4J_URI=settings.neo4j_uri,
                        TRACEGRAPH_NEO4J_PASSWORD=settings.neo4j_password,
                        # the chain's key: the test's own audited writes (the key it issues) name it
                        TRACEGRAPH_AUDIT_KEY_PATH=str(audit.config().key_path),
                        # a killed server's running job is taken over once its lease runs out: 5 s,
                        # not the default 30, which the test would only wait out
                        TRACEGRAPH_JOB_LEASE_SECONDS="5")
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from tracegraph.cli import main; main()", "serve", "--port", str(self.port)],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.base + "/openapi.json", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.3)
        raise AssertionError("tracegraph serve did not start")

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()


def _stream(server: Server, key: str, acknowledged: dict, stop: threading.Event) -> None:
    """Post every document in order; remember the job of each 202."""
    with httpx.Client(base_url=server.base, headers={"Authorization": f"Bearer {key}",
                                                     "Content-Type": "application/ld+json"}, timeout=60) as http:
        for i in range(DOCS):
            if stop.is_set():
                return
            try:
                response = http.post("/epcis/capture", content=_doc(i))
            except httpx.TransportError:
                time.sleep(0.2)
                continue
            if response.status_code == 202:
                acknowledged[i] = response.headers["Location"]


def _successes(base: str, key: str, acknowledged: dict) -> set[int]:
    done = set()
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=30) as http:
        for i, location in list(acknowledged.items()):
            try:
                if http.get(location).json().get("success"):
                    done.add(i)
            except (httpx.TransportError, ValueError):
                pass
    return done


def _settle(base: str, key: str, acknowledged: dict) -> dict[int, dict]:
    """Every acknowledged job once it stopped running (after a restart, interrupted ones fail)."""
    jobs: dict[int, dict] = {}
    deadline = time.monotonic() + 240
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=30) as http:
        while len(jobs) < len(acknowledged) and time.monotonic() < deadline:
            for i, location in acknowledged.items():
                if i not in jobs:
                    job = http.get(location).json()
                    if not job["running"]:
                        jobs[i] = job
            time.sleep(0.5)
    assert len(jobs) == len(acknowledged), "capture jobs still running"
    return jobs


def _stored_per_doc(db: Database) -> dict[int, int]:
    counts: dict[int, int] = {}
    for row in db.read("test/event_ids"):
        eid = row["event_id"]
        if eid.startswith("urn:uuid:c0000000-"):
            i = int(eid[-12:-6])
            counts[i] = counts.get(i, 0) + 1
    return counts


def _run(own_neo4j, tmp_path, kill) -> tuple[set[int], dict[int, dict], dict[int, int]]:
    db = Database(own_neo4j)
    schema.migrate(db)
    schema.reset(db)
    key = issue_key(db, f"crash-{kill.__name__}", ["admin"])
    server = Server(own_neo4j, tmp_path)
    server.start()
    acknowledged: dict[int, str] = {}
    stop = threading.Event()
    streamer = threading.Thread(target=_stream, args=(server, key, acknowledged, stop))
    streamer.start()
    deadline = time.monotonic() + 240
    while len(_successes(server.base, key, acknowledged)) < 2 and time.monotonic() < deadline:
        time.sleep(0.3)
    before_kill = _successes(server.base, key, acknowledged)
    kill(server, own_neo4j)
    time.sleep(1)
    stop.set()
    streamer.join()
    if server.proc.poll() is not None:
        server.start()
    if not launcher.status(own_neo4j).running:
        launcher.start(own_neo4j)
    jobs = _settle(server.base, key, acknowledged)
    stored = _stored_per_doc(db)
    server.kill()
    db.close()
    return before_kill, jobs, stored


def _kill_server(server: Server, settings: Settings) -> None:
    server.kill()


def _kill_neo4j(server: Server, settings: Settings) -> None:
    os.kill(launcher.status(settings).pid, signal.SIGKILL)


@pytest.mark.parametrize("kill", [_kill_server, _kill_neo4j], ids=["server", "neo4j"])
def test_sigkill_mid_stream_leaves_only_whole_documents(own_neo4j, tmp_path, kill):
    before_kill, jobs, stored = _run(own_neo4j, tmp_path, kill)
    succeeded = {i for i, job in jobs.items() if job["success"]}
    partial = {i: n for i, n in stored.items() if n != EVENTS_PER_DOC}
    unacknowledged_stored = set(stored) - set(jobs)
    print(f"\n{kill.__name__}: {len(jobs)} acknowledged, {len(succeeded)} succeeded "
          f"({len(before_kill)} before the kill), {len(jobs) - len(succeeded)} failed, {len(stored)} stored")
    assert len(before_kill) >= 2, "the kill came before two captures succeeded: nothing was tested"
    assert (before_kill <= succeeded, all(stored.get(i) == EVENTS_PER_DOC for i in succeeded), partial,
            unacknowledged_stored, set(stored) <= succeeded) == (True, True, {}, set(), True)
