"""CAPA through the API: creation for investigations, actions and their steps, the
effectiveness check, closure rules, the overdue list. Every refusal writes nothing."""
import re
from datetime import date, timedelta

import pytest

from tests.investigation_support import app_client, counts

PROBLEM = "https://tracegraph.dev/problems/"
TODAY = date.today()
SOON, LATE = (TODAY + timedelta(days=30)).isoformat(), (TODAY - timedelta(days=1)).isoformat()


@pytest.fixture
def api(bare_client, db, tmp_path):
    return app_client(bare_client, db, tmp_path)


@pytest.fixture
def inv(api) -> str:
    return api.post("/v1/investigations", json={"title": "seal failures"}).json()["id"]


def action(kind="corrective", due=SOON, owner="ana", description="retrain sealing operators"):
    return {"kind": kind, "description": description, "owner": owner, "due": due}


def created(api, inv, **body) -> dict:
    body = {"title": "Fix the sealer", "investigations": [inv], "actions": [action()], **body}
    response = api.post("/v1/capas", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def move(api, capa, to, reason="because", **extra):
    return api.post(f"/v1/capas/{capa}/transitions", json={"to": to, "reason": reason, **extra})


def act(api, capa, action_id, **body):
    return api.patch(f"/v1/capas/{capa}/actions/{action_id}", json=body)


def verify(api, capa, result="effective", **extra):
    return api.post(f"/v1/capas/{capa}/verifications", json={
        "criteria": "no seal failure in 3 lots", "evidence": "lots 7-9 passed", "result": result, **extra})


def to_check(api, capa) -> None:
    """Every action done, then into the effectiveness check."""
    move(api, capa["id"], "in_progress")
    for a in capa["actions"]:
        assert act(api, capa["id"], a["id"], status="done").status_code == 200
    assert move(api, capa["id"], "effectiveness_check").status_code == 200


def test_create_links_the_investigation_and_numbers_the_capa(api, inv):
    capa = created(api, inv, actions=[action(), action("preventive", description="add a seal-width check")])
    linked = api.get(f"/v1/investigations/{inv}").json()["capas"]
    assert (bool(re.fullmatch(r"CAPA-\d{4}-0001", capa["id"])), capa["investigations"], capa["state"],
            [(a["kind"], a["status"]) for a in capa["actions"]], linked) == \
        (True, [inv], "open", [("corrective", "planned"), ("preventive", "planned")], [capa["id"]])


def test_create_is_audited(api, inv):
    capa = created(api, inv)
    records = api.get("/v1/audit", params={"subject": capa["id"]}).json()
    assert [(r["action"], r["actor"]) for r in records] == [("capa.create", "inv-admin")]


def test_create_for_an_unknown_investigation_is_404_and_writes_nothing(api, db, inv):
    before = counts(db)
    response = api.post("/v1/capas", json={"title": "x", "investigations": [inv, "INV-1999-0001"]})
    assert (response.status_code, response.json()["field"], counts(db)) == (404, "investigations.1", before)


@pytest.mark.parametrize("bad", [{"kind": "curative"}, {"due": "someday"}, {"owner": ""}])
def test_bad_action_is_422_naming_the_field(api, inv, bad):
    response = api.post("/v1/capas", json={"title": "x", "investigations": [inv], "actions": [{**action(), **bad}]})
    assert (response.status_code, response.json()["field"]) == (422, f"actions.0.{next(iter(bad))}")


def test_action_steps_record_who_and_when(api, inv):
    capa = created(api, inv)
    a = capa["actions"][0]["id"]
    act(api, capa["id"], a, status="in_progress")
    body = act(api, capa["id"], a, status="done", note="all 12 operators trained").json()
    done = body["actions"][0]
    assert (done["status"], done["completed_by"], done["note"], done["completed"] is not None) == \
        ("done", "inv-admin", "all 12 operators trained", True)


def test_action_steps_are_audited(api, inv):
    capa = created(api, inv)
    act(api, capa["id"], capa["actions"][0]["id"], status="done")
    records = api.get("/v1/audit", params={"subject": capa["id"], "action": "capa.action.done"}).json()
    assert len(records) == 1


def test_a_done_action_cannot_change_again(api, db, inv):
    capa = created(api, inv)
    a = capa["actions"][0]["id"]
    act(api, capa["id"], a, status="done")
    before = counts(db)
    response = act(api, capa["id"], a, status="in_progress")
    assert (response.status_code, response.json()["type"], counts(db)) == \
        (409, PROBLEM + "invalid-capa-action-step", before)


def test_in_progress_action_cannot_go_back_to_planned_and_409_names_the_allowed(api, inv):
    capa = created(api, inv)
    a = capa["actions"][0]["id"]
    act(api, capa["id"], a, status="in_progress")
    response = act(api, capa["id"], a, status="planned")
    assert (response.status_code, response.json()["allowed"]) == (409, ["cancelled", "done"])


def test_cancelling_an_action_needs_a_note(api, db, inv):
    capa = created(api, inv)
    before = counts(db)
    response = act(api, capa["id"], capa["actions"][0]["id"], status="cancelled")
    assert (response.status_code, response.json()["field"], counts(db)) == (422, "note", before)


def test_owner_and_due_date_of_an_action_can_change(api, inv):
    capa = created(api, inv)
    body = act(api, capa["id"], capa["actions"][0]["id"], owner="bo", due=LATE).json()
    assert (body["actions"][0]["owner"], body["actions"][0]["due"]) == ("bo", LATE)


def test_actions_can_be_added(api, inv):
    capa = created(api, inv)
    body = api.post(f"/v1/capas/{capa['id']}/actions", json=[action("preventive")]).json()
    assert [a["kind"] for a in body["actions"]] == ["corrective", "preventive"]


def test_effectiveness_check_needs_every_action_finished(api, db, inv):
    capa = created(api, inv, actions=[action(), action("preventive")])
    move(api, capa["id"], "in_progress")
    act(api, capa["id"], capa["actions"][0]["id"], status="done")
    before = counts(db)
    response = move(api, capa["id"], "effectiveness_check")
    assert (response.status_code, response.json()["type"], response.json()["outstanding"], counts(db)) == \
        (409, PROBLEM + "capa-actions-outstanding", [capa["actions"][1]["id"]], before)


def test_effectiveness_check_needs_an_action_done(api, inv):
    capa = created(api, inv, actions=[])
    move(api, capa["id"], "in_progress")
    assert move(api, capa["id"], "effectiveness_check").status_code == 409


def test_verification_outside_the_effectiveness_check_is_409(api, db, inv):
    capa = created(api, inv)
    before = counts(db)
    response = verify(api, capa["id"])
    assert (response.status_code, response.json()["type"], counts(db)) == \
        (409, PROBLEM + "capa-not-in-effectiveness-check", before)


def test_actions_are_frozen_during_the_effectiveness_check(api, inv):
    capa = created(api, inv)
    to_check(api, capa)
    assert api.post(f"/v1/capas/{capa['id']}/actions", json=[action()]).status_code == 409


def test_closing_without_an_effective_check_is_409_with_why(api, db, inv):
    capa = created(api, inv)
    to_check(api, capa)
    before = counts(db)
    response = move(api, capa["id"], "closed")
    assert (response.status_code, response.json()["type"], "no effectiveness check" in response.json()["detail"],
            counts(db)) == (409, PROBLEM + "capa-not-verified-effective", True, before)


def test_closing_after_a_not_effective_check_is_409_and_says_so(api, inv):
    capa = created(api, inv)
    to_check(api, capa)
    verify(api, capa["id"], "not_effective")
    response = move(api, capa["id"], "closed")
    assert (response.status_code, "not effective" in response.json()["detail"]) == (409, True)


def test_a_new_round_needs_a_new_check(api, inv):
    """Effective, sent back to work, checked again: the old result does not count."""
    capa = created(api, inv)
    to_check(api, capa)
    verify(api, capa["id"], "effective")
    move(api, capa["id"], "in_progress", "second site also affected")
    assert move(api, capa["id"], "effectiveness_check").status_code == 200
    assert move(api, capa["id"], "closed").status_code == 409


def test_verified_effective_capa_closes(api, inv):
    capa = created(api, inv)
    to_check(api, capa)
    verify(api, capa["id"])
    body = move(api, capa["id"], "closed", "effective").json()
    assert (body["state"], body["effective"], [s["to"] for s in body["steps"]], body["allowed"]) == \
        ("closed", True, ["in_progress", "effectiveness_check", "closed"], [])


def test_verification_records_criteria_evidence_and_result(api, inv):
    evidence = api.post(f"/v1/investigations/{inv}/evidence",
                        files={"file": ("r.txt", b"lot 7 ok", "text/plain")}).json()["id"]
    capa = created(api, inv)
    to_check(api, capa)
    body = verify(api, capa["id"], evidence_ids=[evidence]).json()
    v = body["verifications"][0]
    assert (v["criteria"], v["evidence"], v["evidence_ids"], v["result"], v["by"], body["effective"]) == \
        ("no seal failure in 3 lots", "lots 7-9 passed", [evidence], "effective", "inv-admin", True)


def test_verification_naming_unknown_evidence_is_404_and_writes_nothing(api, db, inv):
    capa = created(api, inv)
    to_check(api, capa)
    before = counts(db)
    response = verify(api, capa["id"], evidence_ids=["nope"])
    assert (response.status_code, response.json()["field"], counts(db)) == (404, "evidence_ids.0", before)


@pytest.mark.parametrize("path, to, allowed", [
    ([], "closed", ["in_progress"]),
    ([], "effectiveness_check", ["in_progress"]),
    (["in_progress"], "open", ["effectiveness_check"]),
])
def test_illegal_capa_step_is_409_naming_the_allowed_ones(api, db, inv, path, to, allowed):
    capa = created(api, inv)
    for state in path:
        move(api, capa["id"], state)
    before = counts(db)
    response = move(api, capa["id"], to)
    assert (response.status_code, response.json()["type"], response.json()["allowed"], counts(db)) == \
        (409, PROBLEM + "invalid-capa-transition", allowed, before)


def test_a_closed_capa_refuses_every_change(api, inv):
    capa = created(api, inv)
    to_check(api, capa)
    verify(api, capa["id"])
    move(api, capa["id"], "closed")
    codes = (api.post(f"/v1/capas/{capa['id']}/actions", json=[action()]).status_code,
             act(api, capa["id"], capa["actions"][0]["id"], owner="bo").status_code,
             verify(api, capa["id"]).status_code, move(api, capa["id"], "in_progress").status_code)
    assert codes == (409, 409, 409, 409)


UNKNOWN = "CAPA-1999-9999"


@pytest.mark.parametrize("method, path, body", [
    ("get", "", None),
    ("post", "/actions", [action()]),
    ("patch", "/actions/nope", {"status": "done"}),
    ("post", "/verifications", {"criteria": "c", "evidence": "e", "result": "effective"}),
    ("post", "/transitions", {"to": "in_progress", "reason": "r"}),
])
def test_unknown_capa_is_404(api, db, method, path, body):
    before = counts(db)
    kwargs = {"json": body} if body is not None else {}
    response = getattr(api, method)(f"/v1/capas/{UNKNOWN}{path}", **kwargs)
    assert (response.status_code, counts(db)) == (404, before)


def test_unknown_action_is_404(api, inv):
    capa = created(api, inv)
    response = act(api, capa["id"], "nope", status="done")
    assert (response.status_code, response.json()["field"]) == (404, "action_id")


# --- overdue --------------------------------------------------------------------------

def test_overdue_list_names_capas_with_an_open_action_past_due(api, inv):
    late = created(api, inv, title="late", actions=[action(due=LATE), action(due=SOON)])
    created(api, inv, title="on time", actions=[action(due=SOON)])
    body = api.get("/v1/capas", params={"overdue": "true"}).json()
    assert [(c["id"], c["overdue_actions"]) for c in body["capas"]] == [(late["id"], [late["actions"][0]["id"]])]


def test_a_done_action_is_not_overdue(api, inv):
    capa = created(api, inv, actions=[action(due=LATE)])
    act(api, capa["id"], capa["actions"][0]["id"], status="done")
    assert api.get("/v1/capas", params={"overdue": "true"}).json()["capas"] == []


def test_a_capa_past_its_own_due_date_is_overdue(api, inv):
    capa = created(api, inv, due=LATE, actions=[])
    assert [c["id"] for c in api.get("/v1/capas", params={"overdue": "true"}).json()["capas"]] == [capa["id"]]


def test_overdue_can_be_judged_as_of_a_day(api, inv):
    capa = created(api, inv, actions=[action(due=SOON)])
    later = (TODAY + timedelta(days=31)).isoformat()
    listed = api.get("/v1/capas", params={"overdue": "true", "as_of": later}).json()["capas"]
    assert [c["id"] for c in listed] == [capa["id"]]


def test_overdue_false_lists_the_others(api, inv):
    created(api, inv, title="late", actions=[action(due=LATE)])
    on_time = created(api, inv, title="on time", actions=[action(due=SOON)])
    assert [c["id"] for c in api.get("/v1/capas", params={"overdue": "false"}).json()["capas"]] == [on_time["id"]]


def test_capa_detail_flags_overdue_actions(api, inv):
    capa = created(api, inv, actions=[action(due=LATE)])
    body = api.get(f"/v1/capas/{capa['id']}").json()
    assert (body["overdue"], body["actions"][0]["overdue"]) == (True, True)


def test_list_filters_by_investigation(api, inv):
    other = api.post("/v1/investigations", json={"title": "other"}).json()["id"]
    mine = created(api, inv)["id"]
    created(api, other)
    assert [c["id"] for c in api.get("/v1/capas", params={"investigation": inv}).json()["capas"]] == [mine]
