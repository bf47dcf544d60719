"""Property: lot binding and duplicate commissioning over random document streams agree
with an independent oracle (a plain dict model of what the rules say)."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import NotFound
from graph import schema
from loaders.epcis.document import parse_document
from tests.epcis import document, observe, sgtin
from tracegraph.capture.writer import write_document
from tracegraph.quality import service as quality
from tracegraph.quality.errors import QualityRejected
from tracegraph.serials.service import get_serial

claim = st.tuples(st.integers(0, 3), st.sampled_from(["A", "B", "C"]))  # (serial, lot)
streams = st.lists(st.lists(claim, min_size=1, max_size=4), min_size=1, max_size=5)


def oracle(docs):
    """Which documents are refused, the final serial -> lot binding, and how many duplicate
    commissionings are flagged: a reading of the rules independent of the implementation."""
    bound, commissioned, refused, duplicates = {}, set(), [], 0
    for i, claims in enumerate(docs):
        local_bound, local_seen, local_dups, bad = {}, set(), 0, False
        for serial, lot in claims:
            known = bound.get(serial, local_bound.get(serial))
            if known is not None and known != lot:
                bad = True
            else:
                local_bound.setdefault(serial, lot)
            if serial in commissioned or serial in local_seen:
                local_dups += 1
            else:
                local_seen.add(serial)
        if bad:
            refused.append(i)
            continue
        bound.update({s: lot for s, lot in local_bound.items() if s not in bound})
        commissioned |= local_seen
        duplicates += local_dups
    return refused, bound, duplicates


def _event(serial: int, lot: str, minute: int) -> dict:
    ev = observe([sgtin(f"P{serial}")], minute, 1, biz_step="commissioning", action="ADD")
    ev["ilmd"] = {"cbvmda:lotNumber": lot}
    return ev


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(docs=streams)
def test_binding_and_duplicates_match_the_oracle(database, docs):
    schema.reset(database)
    refused, minute = [], 0
    for i, claims in enumerate(docs):
        events = []
        for serial, lot in claims:
            events.append(_event(serial, lot, minute))
            minute += 1
        try:
            write_document(database, parse_document(document(events), f"stream-{i}"))
        except QualityRejected:
            refused.append(i)
    bound = {}
    for serial in range(4):
        try:
            lot = get_serial(database, sgtin(f"P{serial}")).lot
        except NotFound:
            continue
        bound[sgtin(f"P{serial}")] = lot.lot
    duplicates = len(quality.findings(database, rule="duplicate_commissioning", limit=1000))
    want_refused, want_bound, want_duplicates = oracle(docs)
    assert (refused, bound, duplicates) == \
        (want_refused, {sgtin(f"P{s}"): lot for s, lot in want_bound.items()}, want_duplicates)
