"""Alerts: one open per rule and subject, graded and routed, a life cycle with reasons,
filters, and the rules configuration (API and CLI)."""
import json

import pytest

from tests.epcis import at, lgtin, observe, receive, sgtin, ship, transform
from tests.test_rules_support import load, master
from tracegraph.alerts import service as alerts
from tracegraph.alerts.enums import State
from tracegraph.rules import service as rules
from tracegraph.rules.models import Route, Routing, RulesUpdate

D1, D2 = sgtin("D1"), sgtin("D2")


def made(*serials, minutes=0):
    return transform(minutes, input_lots=[lgtin("RAW")], outputs=list(serials), lot_number="FG", site=1)


def orphan_receipt():
    """D1 is received at site 2 with no shipment: RECEIVED_NOT_SHIPPED (medium)."""
    return [made(D1), receive([D1], 100, site=2)]


def only(db, rule):
    found = alerts.list_alerts(db, rule=rule).alerts
    assert len(found) == 1, found
    return found[0]


def test_ingest_opens_an_alert_with_rule_severity_subject_and_events(db):
    events = orphan_receipt()
    load(db, events)
    a = only(db, "RECEIVED_NOT_SHIPPED")
    assert (a.state, a.severity.value, a.subject, a.events) == ("open", "medium", D1, [events[1]["eventID"]])


def test_redetection_updates_the_open_alert_instead_of_duplicating_it(db):
    load(db, orphan_receipt())
    rules.sweep(db)
    rules.sweep(db)
    assert only(db, "RECEIVED_NOT_SHIPPED").detections == 3


def test_condition_gone_resolves_the_open_alert_as_system(db):
    load(db, orphan_receipt(), "receipt")
    load(db, [ship([D1], 50, site=1, destination=2)], "late shipment record")
    a = only(db, "RECEIVED_NOT_SHIPPED")
    assert (a.state, a.steps[-1].by, a.steps[-1].to) == ("resolved", "system", "resolved")


def test_severity_is_raised_at_a_hospital_and_the_reason_stored(db):
    master(db, {2: (2, "direct")}, site_type="hospital")
    load(db, orphan_receipt())
    a = only(db, "RECEIVED_NOT_SHIPPED")
    assert (a.base_severity.value, a.severity.value, any("hospital" in r for r in a.grade_reason)) == \
        ("medium", "high", True)


def test_dispensed_device_raises_severity(db):
    load(db, orphan_receipt() + [observe([D1], 200, site=2, biz_step="dispensing", disposition="dispensed")])
    assert only(db, "RECEIVED_NOT_SHIPPED").severity.value == "high"


def test_a_declared_event_no_longer_grades_the_alert(db):
    """The dispensing that raised the grade is declared erroneous: the re-run grades without it."""
    dispensing = observe([D1], 200, site=2, biz_step="dispensing", disposition="dispensed")
    load(db, orphan_receipt() + [dispensing])
    load(db, [dict(dispensing, errorDeclaration={"declarationTime": at(300), "reason": "incorrect_data"})],
         "declaration")
    assert only(db, "RECEIVED_NOT_SHIPPED").severity.value == "medium"


def test_routing_by_region_assigns_the_team(db):
    master(db, {2: (2, "direct")}, region="APAC")
    rules.update(db, RulesUpdate(routing=Routing(default_team="quality", routes=[
        Route(region=["EU"], team="eu-quality"), Route(region=["APAC"], team="apac-quality")])), principal="t")
    load(db, orphan_receipt())
    assert only(db, "RECEIVED_NOT_SHIPPED").team == "apac-quality"


def test_routing_falls_back_to_the_default_team(db):
    rules.update(db, RulesUpdate(routing=Routing(default_team="quality", routes=[
        Route(rule=["TWO_PLACES"], team="security")])), principal="t")
    load(db, orphan_receipt())
    assert only(db, "RECEIVED_NOT_SHIPPED").team == "quality"


def test_disabled_rule_does_not_run(db):
    rules.update(db, RulesUpdate.model_validate({"rules": {"RECEIVED_NOT_SHIPPED": {"enabled": False}}}),
                 principal="t")
    load(db, orphan_receipt())
    assert alerts.list_alerts(db, rule="RECEIVED_NOT_SHIPPED").alerts == []


def test_incremental_rules_can_be_switched_off(db):
    rules.update(db, RulesUpdate(on_ingest=False), principal="t")
    load(db, orphan_receipt())
    assert alerts.list_alerts(db).alerts == []


def test_life_cycle_records_who_when_and_why(db):
    load(db, orphan_receipt())
    a = only(db, "RECEIVED_NOT_SHIPPED")
    for to, why in (("acknowledged", "seen"), ("investigating", "asking site 2"), ("resolved", "paper record")):
        a = alerts.transition(db, a.id, State(to), principal="ana", reason=why)
    assert [(s.from_state, s.to, s.by, s.reason) for s in a.steps] == [
        ("open", "acknowledged", "ana", "seen"), ("acknowledged", "investigating", "ana", "asking site 2"),
        ("investigating", "resolved", "ana", "paper record")]


def test_a_closed_alert_frees_the_subject_for_a_new_alert(db):
    load(db, orphan_receipt())
    a = only(db, "RECEIVED_NOT_SHIPPED")
    alerts.transition(db, a.id, State.false_positive, principal="ana", reason="test data")
    rules.sweep(db)
    assert [x.state.value for x in alerts.list_alerts(db, rule="RECEIVED_NOT_SHIPPED").alerts] == \
        ["open", "false_positive"]


# API

def test_api_invalid_transition_is_a_409_problem(client):
    load(client.app.state.db, orphan_receipt())
    alert_id = client.get("/v1/alerts").json()["alerts"][0]["id"]
    response = client.post(f"/v1/alerts/{alert_id}/transitions", json={"to": "resolved", "reason": "done"})
    assert (response.status_code, response.headers["content-type"], response.json()["type"]) == \
        (409, "application/problem+json", "https://tracegraph.dev/problems/invalid-alert-transition")


def test_api_transition_needs_a_reason(client):
    load(client.app.state.db, orphan_receipt())
    alert_id = client.get("/v1/alerts").json()["alerts"][0]["id"]
    response = client.post(f"/v1/alerts/{alert_id}/transitions", json={"to": "acknowledged", "reason": ""})
    assert (response.status_code, response.json()["field"]) == (422, "reason")


def test_api_transition_records_the_caller(client):
    load(client.app.state.db, orphan_receipt())
    alert_id = client.get("/v1/alerts").json()["alerts"][0]["id"]
    body = client.post(f"/v1/alerts/{alert_id}/transitions", json={"to": "acknowledged", "reason": "mine"}).json()
    assert (body["state"], body["steps"][-1]["by"]) == ("acknowledged", "test-admin")


def test_api_unknown_alert_is_404(client):
    assert client.get("/v1/alerts/nope").status_code == 404


@pytest.mark.parametrize("params, expected", [
    ({"rule": "RECEIVED_NOT_SHIPPED"}, {"RECEIVED_NOT_SHIPPED"}),
    ({"rule": "TWO_PLACES"}, set()),
    ({"state": "open", "severity": "medium"}, {"RECEIVED_NOT_SHIPPED"}),
    ({"severity": "critical"}, set()),
    ({"team": "brand-protection"}, {"RECEIVED_NOT_SHIPPED"}),
    ({"team": "logistics"}, set()),
    ({"subject": D2}, set()),
    ({"since": "2000-01-01T00:00:00Z"}, {"RECEIVED_NOT_SHIPPED"}),
    ({"until": "2000-01-01T00:00:00Z"}, set()),
])
def test_api_filters(client, params, expected):
    load(client.app.state.db, orphan_receipt())
    body = client.get("/v1/alerts", params=params).json()
    assert {a["rule"] for a in body["alerts"]} == expected


def test_api_bad_filter_is_a_422_problem(client):
    response = client.get("/v1/alerts", params={"state": "closed"})
    assert (response.status_code, response.json()["field"]) == (422, "state")


def test_api_get_rules_lists_every_rule_with_params(client):
    body = client.get("/v1/rules").json()
    two = next(r for r in body["rules"] if r["code"] == "TWO_PLACES")
    assert (len(body["rules"]), two["params"], two["enabled"]) == (12, {"max_minutes": 60}, True)


def test_api_put_rules_sets_a_parameter(client):
    client.put("/v1/rules", json={"rules": {"TWO_PLACES": {"params": {"max_minutes": 15}}}})
    two = next(r for r in client.get("/v1/rules").json()["rules"] if r["code"] == "TWO_PLACES")
    assert two["params"] == {"max_minutes": 15}


@pytest.mark.parametrize("body, field", [
    ({"rules": {"NO_SUCH_RULE": {"enabled": False}}}, "rules.NO_SUCH_RULE"),
    ({"rules": {"TWO_PLACES": {"params": {"max_hours": 2}}}}, "rules.TWO_PLACES.params.max_hours"),
    ({"rules": {"TWO_PLACES": {"params": {"max_minutes": "soon"}}}}, "rules.TWO_PLACES.params.max_minutes"),
    ({"webhooks": [{"url": "ftp://example"}]}, "webhooks.0.url"),
])
def test_api_put_rules_rejects_bad_config_with_the_field(client, body, field):
    response = client.put("/v1/rules", json=body)
    assert (response.status_code, response.json()["field"]) == (422, field)


def test_api_run_sweep_reports_findings(client):
    load(client.app.state.db, orphan_receipt())
    body = client.post("/v1/rules/run").json()
    assert [(f["rule"], f["subject"]) for f in body["findings"]] == [("RECEIVED_NOT_SHIPPED", D1)]


# CLI

def test_cli_rules_run_json_prints_the_alerts(db, cli):
    load(db, orphan_receipt())
    result = cli("rules", "run", "--json")
    rows = json.loads(result.stdout)
    assert [(r["rule"], r["severity"], r["subject"], len(r["events"])) for r in rows] == \
        [("RECEIVED_NOT_SHIPPED", "medium", D1, 1)]


def test_cli_unknown_rule_is_one_line_and_exit_1(db, tmp_path):
    import subprocess
    import sys
    from pathlib import Path
    env = {"TRACEGRAPH_NEO4J_URI": db.settings.neo4j_uri, "TRACEGRAPH_NEO4J_PASSWORD": db.settings.neo4j_password,
           "PATH": "/usr/bin:/bin"}
    done = subprocess.run([str(Path(sys.executable).parent / "tracegraph"), "rules", "run", "--rule", "NOPE"],
                          capture_output=True, text=True, env=env, cwd=tmp_path)
    assert (done.returncode, done.stderr.count("\n"), "unknown rule code" in done.stderr) == (1, 1, True)
