"""Property: the item-history rules judged in Python from a bulk load's replay
(tracegraph/rules/history.py over tracegraph/bulk/state.py's histories) find exactly what the
Cypher sweep (cypher/rules/_item_history.cypher) finds over the same documents loaded by streaming
ingest: same subjects, events, details and times."""
import json
import random
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import schema
from tests.epcis import T0, document
from tests.test_rules_property import history, lenient_quality, split  # noqa: F401 (a fixture)
from tests.test_rules_support import master
from tracegraph.bulk import service as bulk
from tracegraph.capture.files import load_files
from tracegraph.rules import history as rule_history
from tracegraph.rules import service as rules
from tracegraph.rules.catalog import rules as catalog
from tracegraph.rules.models import RuleEntry, RulesUpdate

SITES = {1: (1, "own"), 2: (2, "wholesale"), 3: (3, "wholesale"), 4: (4, "gpo")}


def rows(code: str, found: list[dict]) -> set[tuple]:
    return {(code, r["subject"], tuple(r["events"]), json.dumps(r["detail"] or {}, sort_keys=True),
             r["time"].astimezone(UTC).isoformat()) for r in found}


@pytest.mark.timeout(2400)  # ten loads both ways; a shared machine can take minutes
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), documents=st.integers(1, 3), max_minutes=st.integers(1, 300),
       max_hours=st.integers(1, 48), now_after=st.integers(0, 120))
def test_python_item_history_rules_equal_the_cypher_sweep(database, lenient_quality, tmp_path_factory,  # noqa: F811
                                                          seed, documents, max_minutes, max_hours, now_after):
    schema.reset(database)
    rng = random.Random(seed)
    master(database, SITES)
    params = {"TWO_PLACES": {"max_minutes": max_minutes}, "SHIPPED_NOT_RECEIVED": {"max_hours": max_hours}}
    rules.update(database, RulesUpdate(rules={c: RuleEntry(params=p) for c, p in params.items()}),
                 principal="tester")
    events = history(rng)
    parts = split(rng, events, documents)
    tmp = tmp_path_factory.mktemp("history")
    files = []
    for n, part in enumerate(parts):
        if part:
            files.append(tmp / f"doc{n:02}.json")
            files[-1].write_text(json.dumps(document(part)))
    load_files(database, files)
    # the histories' times run over ~52 hours from tests.epcis.T0: `now` anywhere from before
    # the shipments' windows close to after all have
    now = T0 + timedelta(hours=now_after)
    cypher = set()
    for f in rules.sweep(database, list(rule_history.CODES), dry_run=True, now=now).findings:
        cypher |= rows(f.rule, [{"subject": f.subject, "events": f.events, "detail": f.detail, "time": f.time}])

    builder = bulk.validate(files, database.settings, Path(tmp / "csv"), echo=lambda _: None)
    builder.finish()
    ps = {c: {**catalog()[c].params, **params.get(c, {})} for c in rule_history.CODES}
    found = rule_history.judge(builder.sightings(), rule_history.CODES, ps, now)
    python = set().union(*(rows(code, r) for code, r in found.items()))
    assert python == cypher
