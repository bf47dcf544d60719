"""Property: rules run incrementally on ingest (per document, scoped to what it touched,
documents arriving out of time order) leave exactly the alerts a full sweep finds."""
import json
import random
import tempfile
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import schema
from tests.epcis import (
    at,
    decommission,
    document,
    lgtin,
    observe,
    pack,
    receive,
    sgtin,
    ship,
    sscc,
    transform,
    unpack,
)
from tests.test_rules_support import load, master
from tracegraph.alerts import service as alerts
from tracegraph.capture.files import load_files
from tracegraph.quality import service as quality
from tracegraph.rules import service as rules
from tracegraph.rules.models import RuleEntry, RulesUpdate

EXPIRY = {"L1": "2024-12-31", "L2": "2030-01-01"}
SITES = {1: (1, "own"), 2: (2, "wholesale"), 3: (3, "wholesale"), 4: (4, "gpo")}
AUTH = [{"from": 1, "to": 2}, {"from": 2, "to": 3, "channel": "wholesale"}]
PARAMS = {"VOLUME_SPIKE": {"period_days": 1, "baseline_periods": 1, "factor": 1.5, "min_quantity": 2,
                           "min_baseline": 0},
          "SHIPPED_NOT_RECEIVED": {"max_hours": 12}}


def made(serial, t, lot):
    ev = transform(t, input_lots=[lgtin("RAW")], outputs=[serial], lot_number=lot, site=1)
    ev["ilmd"]["cbvmda:itemExpirationDate"] = EXPIRY[lot]
    return ev


def split(rng: random.Random, events: list[dict], documents: int) -> list[list[dict]]:
    """`events` dealt at random into `documents` documents and a last one of error declarations
    only (a correction sent later), some of them empty."""
    parts: list[list[dict]] = [[] for _ in range(documents + 1)]
    for ev in events:
        parts[rng.randrange(documents + ("errorDeclaration" in ev))].append(ev)
    return parts


def history(rng: random.Random) -> list[dict]:
    """Messy on purpose: re-commissioning, double packing, sightings minutes apart at
    different sites, shipments without receipts, failed inspections, decommissioning,
    and error declarations (re-sent events, in any document: before, with or after the event)."""
    serials = [sgtin(f"P{i}") for i in range(rng.randint(2, 5))]
    cases = [sscc(1), sscc(2)]
    lots = {s: rng.choice(sorted(EXPIRY)) for s in serials}
    events = [made(s, rng.randint(0, 30), lots[s]) for s in serials]
    for _ in range(rng.randint(5, 25)):
        t, site = rng.randint(0, 3000), rng.randint(1, 4)
        op = rng.choice(["ship", "ship", "receive", "observe", "pack", "unpack", "decommission", "recommission"])
        what = rng.choice(serials + cases)
        if op == "ship":
            events.append(ship([what], t, site=site, destination=rng.randint(1, 4)))
        elif op == "receive":
            events.append(receive([what], t, site=site))
        elif op == "observe":
            events.append(observe([what], t, site=site,
                                  disposition=rng.choice(["active", "non_conformant", "conformant"])))
        elif op == "pack":
            events.append(pack(rng.choice(cases), rng.sample(serials, rng.randint(1, len(serials))), t, site=site))
        elif op == "unpack":
            events.append(unpack(rng.choice(cases), rng.choice([[], [rng.choice(serials)]]), t, site=site))
        elif op == "decommission":
            events.append(decommission([rng.choice(serials)], t, site=site))
        else:
            events.append(made(rng.choice(serials), t, rng.choice(sorted(EXPIRY))))
    for ev in rng.sample(events, rng.randint(0, 3)):
        events.append(dict(ev, errorDeclaration={"declarationTime": at(3100), "reason": "incorrect_data"}))
    return events


@pytest.fixture(scope="module")
def lenient_quality(tmp_path_factory):
    """Data-quality rejections would drop the anomalies this test is about: flag them instead."""
    text = resources.files("tracegraph.quality").joinpath("default_policy.yaml").read_text()
    path = tmp_path_factory.mktemp("quality") / "policy.yaml"
    path.write_text(text.replace(": reject", ": flag"))
    with quality.using(path):
        yield


def key(rule, subject, events):
    return rule, subject, tuple(events)


def load_in_bulk(db, parts: list[list[dict]]) -> None:
    """The documents as files through tracegraph.capture.files.load_files: each one's rules are
    answered in the background while the next one loads."""
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for n, part in enumerate(parts):
            if part:
                files.append(Path(tmp) / f"doc{n:02}.json")
                files[-1].write_text(json.dumps(document(part)))
        load_files(db, files)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), documents=st.integers(1, 4), bulk=st.booleans())
def test_incremental_alerts_equal_a_full_sweep(database, lenient_quality, seed, documents, bulk):
    schema.reset(database)
    rng = random.Random(seed)
    master(database, SITES, AUTH)
    rules.update(database, RulesUpdate(rules={c: RuleEntry(params=p) for c, p in PARAMS.items()}),
                 principal="tester")
    events = history(rng)
    parts = split(rng, events, documents)
    if bulk:
        load_in_bulk(database, parts)
    else:
        for n, part in enumerate(parts):
            if part:
                load(database, part, f"doc{n}")
    incremental = {key(a.rule, a.subject, a.events)
                   for a in alerts.list_alerts(database, state="open", limit=1000).alerts}
    full = {key(f.rule, f.subject, f.events) for f in rules.sweep(database, dry_run=True).findings}
    assert incremental == full


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1))
def test_a_sweep_in_pages_equals_a_sweep_in_one_go(database, lenient_quality, seed, monkeypatch):
    """A full sweep judges item rules page by page (transaction memory at a million serials);
    pages of 3 items must find exactly what one page of everything finds."""
    schema.reset(database)
    rng = random.Random(seed)
    master(database, SITES, AUTH)
    rules.update(database, RulesUpdate(rules={c: RuleEntry(params=p) for c, p in PARAMS.items()}),
                 principal="tester")
    load(database, history(rng), "doc")
    whole = {key(f.rule, f.subject, f.events) for f in rules.sweep(database, dry_run=True).findings}
    monkeypatch.setattr(database.settings, "rules_sweep_page", 3)
    paged = {key(f.rule, f.subject, f.events) for f in rules.sweep(database, dry_run=True).findings}
    assert paged == whole
