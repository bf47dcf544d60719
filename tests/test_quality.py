"""Binding rules and data-quality checks at ingest: `reject` refuses the whole document
listing every violation (nothing written), `flag` writes it and records Findings."""
from datetime import UTC, datetime, timedelta

import pytest

from graph.db import Database
from loaders.epcis.document import parse_document
from tests import scenario
from tests.epcis import CP, at, document, lgtin, observe, sgln, sgtin, ship, transform
from tracegraph.capture.writer import write_document
from tracegraph.quality import service as quality
from tracegraph.quality.errors import QualityRejected
from tracegraph.quality.models import QualityPolicy

GTIN = "80614141123458"  # of sgtin(..., "812345")
_docs = iter(range(10**6))


def load(db: Database, events: list[dict], master: list[dict] | None = None):
    return write_document(db, parse_document(document(events, master), f"doc-{next(_docs)}"))


def commission(epcs, minutes, lot=None, site=1, expiry="2030-01-01", **kw):
    ev = observe(epcs, minutes, site, biz_step="commissioning", action="ADD", **kw)
    if lot:
        ev["ilmd"] = {"cbvmda:lotNumber": lot, **({"cbvmda:itemExpirationDate": expiry} if expiry else {})}
    return ev


def site_types(**types: str) -> list[dict]:
    return [{"type": "urn:epcglobal:epcis:vtype:BusinessLocation", "vocabularyElementList": [
        {"id": sgln(int(n[1:])), "attributes": [{"id": "https://tracegraph.dev/mda#siteType", "attribute": t}]}
        for n, t in types.items()]}]


def events_stored(db: Database) -> int:
    return len(db.read("test/event_ids"))


def rules(findings) -> list[str]:
    return sorted(f.rule for f in findings)


def test_the_hand_checked_scenario_loads_without_findings(db):
    load(db, scenario.events())
    assert quality.findings(db) == []


def test_serial_claimed_by_a_second_lot_is_refused(db):
    load(db, [commission([sgtin("S1")], 0, lot="A")])
    with pytest.raises(QualityRejected) as err:
        load(db, [commission([sgtin("S1")], 5, lot="B")])
    assert [v["rule"] for v in err.value.extra["violations"]] == ["serial_lot_binding"]


def test_a_refused_document_writes_nothing(db):
    load(db, [commission([sgtin("S1")], 0, lot="A")])
    with pytest.raises(QualityRejected):
        load(db, [observe([sgtin("S1")], 2, 1), commission([sgtin("S1")], 5, lot="B")])
    assert events_stored(db) == 1


def test_two_lots_claiming_one_serial_in_the_same_document(db):
    with pytest.raises(QualityRejected) as err:
        load(db, [commission([sgtin("S1")], 0, lot="A"), commission([sgtin("S1")], 1, lot="B")])
    assert {v["rule"] for v in err.value.extra["violations"]} == {"serial_lot_binding"}


def test_serial_bound_to_a_lot_of_another_product_is_refused(db):
    ev = commission([sgtin("S9")], 1, lot="L7")
    ev["quantityList"] = [{"epcClass": lgtin("L7", "712345"), "quantity": 1}]
    with pytest.raises(QualityRejected) as err:
        load(db, [ev])
    assert "is product 80614141123458" in err.value.extra["violations"][0]["reason"]


def test_every_violation_is_listed(db):
    bad = [sgtin("X1"), sgtin("X2"), sgtin("X3")]
    policy = QualityPolicy.model_validate({"checks": {"serial_format": "reject"},
                                          "defaults": {"serial_format": {"charset": "digits"}}})
    with quality.using(policy), pytest.raises(QualityRejected) as err:
        load(db, [commission(bad + [sgtin("123")], 0, lot="A")])
    assert sorted(v["subject"] for v in err.value.extra["violations"]) == bad


def test_per_product_serial_format(db):
    policy = QualityPolicy.model_validate({"checks": {"serial_format": "reject"}, "products": {
        GTIN: {"serial_format": {"charset": "digits", "min_length": 4, "max_length": 6}}}})
    with quality.using(policy), pytest.raises(QualityRejected) as err:
        load(db, [commission([sgtin("123"), sgtin("1234"), sgtin("12a45")], 0, lot="A")])
    assert sorted(v["subject"] for v in err.value.extra["violations"]) == [sgtin("123"), sgtin("12a45")]


def test_other_products_keep_the_defaults(db):
    policy = QualityPolicy.model_validate({"checks": {"serial_format": "reject"}, "products": {
        GTIN: {"serial_format": {"charset": "digits"}}}})
    with quality.using(policy):
        load(db, [commission([sgtin("ABC", "822222")], 0, lot="A")])
    assert events_stored(db) == 1


def test_serial_format_from_product_master_data(db):
    master = [{"type": "urn:epcglobal:epcis:vtype:EPCClass", "vocabularyElementList": [
        {"id": f"urn:epc:idpat:sgtin:{CP}.812345.*",
         "attributes": [{"id": "https://tracegraph.dev/mda#serialFormat", "attribute": "D[0-9]{3}"}]}]}]
    load(db, [], master)
    with pytest.raises(QualityRejected) as err:
        load(db, [commission([sgtin("D123"), sgtin("X123")], 0, lot="A")])
    assert [v["subject"] for v in err.value.extra["violations"]] == [sgtin("X123")]


def test_required_ilmd_per_product(db):
    policy = QualityPolicy.model_validate({"checks": {"required_ilmd": "reject"},
                                          "products": {GTIN: {"required_ilmd": ["lot", "expiry"]}}})
    with quality.using(policy), pytest.raises(QualityRejected) as err:
        load(db, [commission([sgtin("S1")], 0, lot="A", expiry=None)])
    assert "expiry" in err.value.extra["violations"][0]["reason"]


def test_events_in_the_future_are_refused(db):
    future = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    ev = observe([sgtin("S1")], 0, 1)
    ev["eventTime"] = future
    with pytest.raises(QualityRejected) as err:
        load(db, [ev])
    assert err.value.extra["violations"][0]["rule"] == "event_in_future"


def test_the_rejection_is_a_problem_with_every_violation(client):
    future = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    evs = [observe([sgtin(f"S{i}")], 0, 1) for i in range(3)]
    for ev in evs:
        ev["eventTime"] = future
    with pytest.raises(QualityRejected) as err:
        load(client.app.state.db, evs)
    assert (err.value.status, err.value.slug, err.value.extra["violation_count"]) == (422, "quality-rejected", 3)


def test_business_step_not_allowed_at_the_site_type_is_flagged(db):
    load(db, [commission([sgtin("S1")], 0, lot="A", site=1), ship([sgtin("S1")], 5, site=3, destination=4)],
         site_types(s1="factory", s3="hospital"))
    load(db, [commission([sgtin("S2")], 6, lot="A", site=3)])
    found = quality.findings(db)
    assert (rules(found), found[0].severity) == (["biz_step_site_type"], "low")


def test_duplicate_commissioning_is_flagged_and_written(db):
    load(db, [commission([sgtin("S1")], 0, lot="A")])
    load(db, [commission([sgtin("S1")], 5, lot="A")])
    assert (rules(quality.findings(db)), events_stored(db)) == (["duplicate_commissioning"], 2)


def test_finding_names_the_events_and_links_to_them(db):
    load(db, [commission([sgtin("S1")], 0, lot="A")])
    second = commission([sgtin("S1")], 5, lot="A")
    load(db, [second])
    finding = quality.findings(db)[0]
    linked = [r["event_id"] for r in db.read("quality/finding_events", id=finding.id)]
    assert (finding.event_ids, linked) == ([second["eventID"]], [second["eventID"]])


def test_event_before_commissioning_is_flagged(db):
    load(db, [commission([sgtin("S1")], 10, lot="A")])
    load(db, [observe([sgtin("S1")], 5, 2)])
    assert rules(quality.findings(db)) == ["event_before_commissioning"]


def test_lot_drawn_beyond_what_was_made_is_flagged(db):
    made = observe([], 0, 1, biz_step="commissioning", action="ADD")
    del made["epcList"]
    made["quantityList"] = [{"epcClass": lgtin("R1"), "quantity": 100, "uom": "KGM"}]
    use = [transform(t, input_lots=[lgtin("R1")], output_lots=[lgtin(f"O{t}")], lot_number=f"O{t}") for t in (1, 2)]
    for ev, qty in zip(use, (60, 50)):
        ev["inputQuantityList"] = [{"epcClass": lgtin("R1"), "quantity": qty, "uom": "KGM"}]
    load(db, [made, use[0]])
    assert quality.findings(db) == []
    load(db, [use[1]])
    assert [f.subject for f in quality.findings(db)] == [lgtin("R1")]


def test_a_check_set_to_off_is_silent(db):
    policy = QualityPolicy.model_validate({"checks": {"duplicate_commissioning": "off"}})
    load(db, [commission([sgtin("S1")], 0, lot="A")])
    with quality.using(policy):
        load(db, [commission([sgtin("S1")], 5, lot="A")])
    assert quality.findings(db) == []


def test_resending_a_flagged_document_adds_no_second_finding(db):
    load(db, [commission([sgtin("S1")], 0, lot="A")])
    again = [commission([sgtin("S1")], 5, lot="A", event_id="urn:uuid:00000000-0000-4000-8000-00000000abcd")]
    load(db, again)
    load(db, again)
    assert len(quality.findings(db)) == 1


def test_load_result_reports_the_findings(db):
    load(db, [commission([sgtin("S1")], 0, lot="A")])
    result = load(db, [commission([sgtin("S1")], 5, lot="A")])
    assert len(result.notes["quality_findings"]) == 1


def test_the_demo_data_set_loads_cleanly(db, tmp_path):
    from loaders.generator import generate
    from tracegraph.capture import files as ingest
    generate(tmp_path, serials=300, seed=7, events_per_file=5000)
    results = ingest.load_files(db, ingest.expand([tmp_path]))
    assert (sum(r.events_new for r in results) > 0, quality.findings(db)) == (True, [])


def test_a_corrective_event_may_rebind_a_serial_declared_in_error(db):
    wrong = commission([sgtin("S1")], 0, lot="A")
    load(db, [wrong])
    declared = dict(wrong, errorDeclaration={"declarationTime": at(10), "reason": "incorrect_data"})
    load(db, [declared, commission([sgtin("S1")], 11, lot="B")])
    assert quality.findings(db) == []
