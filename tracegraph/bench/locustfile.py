"""The locust users of `tracegraph bench load` (run by locust, not imported by tracegraph).

The spec (hosts, keys, identifiers) is a JSON file named by TRACEGRAPH_LOAD_SPEC, written by
tracegraph/bench/load.py. Users are spread over the API processes round robin, each keeping
its own keep-alive connection, as clients behind a load balancer would. Requests are named by
operation, so locust's statistics are per operation.
"""
from __future__ import annotations

import itertools
import json
import os
import random
import uuid
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

from locust import FastHttpUser, constant, events, task

SPEC = json.loads(Path(os.environ["TRACEGRAPH_LOAD_SPEC"]).read_text())
_next_host = itertools.count()
CAPTURE_SERIALS = 5  # a small document: one commissioning event of a few new serials
_statuses: dict[str, Counter] = defaultdict(Counter)  # operation -> HTTP status (0: no answer) -> count


@events.request.add_listener
def _tally(name, response=None, **_) -> None:
    # locust counts failures; the bench must tell a 5xx (fails the run) from an expected 4xx
    _statuses[name][str(getattr(response, "status_code", 0) or 0)] += 1


@events.quitting.add_listener
def _write_statuses(**_) -> None:
    Path(SPEC["status_file"]).write_text(json.dumps(_statuses))


def capture_document(item_class: str, site: str) -> bytes:
    """One EPCIS document commissioning new serials (never seen before) of a known product."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    tag = uuid.uuid4().hex[:12]
    event = {"type": "ObjectEvent", "eventID": f"urn:uuid:{uuid.uuid4()}", "action": "ADD",
             "bizStep": "commissioning", "disposition": "active", "eventTime": now,
             "eventTimeZoneOffset": "+00:00", "bizLocation": {"id": site},
             "epcList": [f"{item_class}.L{tag}{k}" for k in range(CAPTURE_SERIALS)]}
    return json.dumps({"@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
                       "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": now,
                       "epcisBody": {"eventList": [event]}}).encode()


class Client(FastHttpUser):
    """One integrator, partner or recall manager: the weights are the mix (verify is the
    partners' hot path; scopes are rare and heavy; captures arrive steadily)."""
    wait_time = constant(0)  # closed loop: the measured rate is what the processes can serve
    host = SPEC["hosts"][0]

    def __init__(self, environment):
        self.host = SPEC["hosts"][next(_next_host) % len(SPEC["hosts"])]
        super().__init__(environment)
        self.rng = random.Random()
        self.admin = {"Authorization": f"Bearer {SPEC['admin_key']}"}
        self.partner = {"Authorization": f"Bearer {SPEC['partner_key']}"}

    def _get(self, path: str, name: str, headers: dict, **params) -> None:
        self.client.get(path, params=params, headers=headers, name=name)

    @task(10)
    def verify(self) -> None:
        self._get("/v1/verify", "verify", self.partner, id=self.rng.choice(SPEC["partner_serials"]))

    @task(4)
    def timeline(self) -> None:
        self._get(f"/v1/serials/{self.rng.choice(SPEC['serials'])}/timeline", "timeline", self.admin)

    @task(2)
    def trace(self) -> None:
        self._get("/v1/trace/forward", "trace", self.admin, id=self.rng.choice(SPEC["lots"]))

    @task(1)
    def scope(self) -> None:
        body = {"starts": [{"kind": "lot", "id": self.rng.choice(SPEC["lots"])}], "page_size": 100}
        self.client.post("/v1/recall-scope", json=body, headers=self.admin, name="recall scope")

    @task(3)
    def capture(self) -> None:
        doc = capture_document(self.rng.choice(SPEC["item_classes"]), self.rng.choice(SPEC["sites"]))
        self.client.post("/epcis/capture", data=doc, name="capture",
                         headers={**self.admin, "Content-Type": "application/ld+json"})
