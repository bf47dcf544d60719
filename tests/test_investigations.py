"""Investigations through the API: opening (by hand, from alerts), subjects in any accepted form,
life-cycle steps and refusals, findings, root cause, evidence (files, links, trace snapshots),
timeline, audit. Every refusal writes nothing."""
import hashlib
import re

import pytest

from tests import partners as p
from tests import scenario as s
from tests.epcis import receive
from tests.investigation_support import app_client, counts, stored_files
from tests.test_rules_support import load

PROBLEM = "https://tracegraph.dev/problems/"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
D1_ELEMENT = "(01)80614141123458(21)D1"  # s.D1 as a GS1 element string
FG1_LINK = "https://id.gs1.org/01/80614141123458/10/FG1"  # s.FG1 as a Digital Link


@pytest.fixture
def api(bare_client, db, tmp_path):
    return app_client(bare_client, db, tmp_path)


def opened(api, **body) -> dict:
    body.setdefault("title", "Occlusion complaints on FG1")
    response = api.post("/v1/investigations", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def step(api, inv, to, reason="because", **extra):
    return api.post(f"/v1/investigations/{inv}/transitions", json={"to": to, "reason": reason, **extra})


def upload(api, inv, data=PDF, name="report.pdf", kind="application/pdf", note=None):
    return api.post(f"/v1/investigations/{inv}/evidence", files={"file": (name, data, kind)},
                    data={"note": note} if note else None)


# --- opening --------------------------------------------------------------------------

def test_open_by_hand_canonicalises_subjects_in_any_form(api):
    inv = opened(api, subjects={"serials": [D1_ELEMENT], "lots": [FG1_LINK], "sites": [s.SITE[2]],
                                "suppliers": [p.MFR]})
    assert {(x["kind"], x["epc"]) for x in inv["subjects"]} == \
        {("serial", s.D1), ("lot", s.FG1), ("site", s.SITE[2]), ("supplier", p.MFR)}


def test_open_gives_a_yearly_numbered_id_the_caller_as_owner_and_state_open(api):
    inv = opened(api, team="quality-eu", members=["ana", "bo"])
    assert (bool(re.fullmatch(r"INV-\d{4}-0001", inv["id"])), inv["owner"], inv["team"], inv["members"],
            inv["state"], inv["allowed"]) == (True, "inv-admin", "quality-eu", ["ana", "bo"], "open", ["in_progress"])


def test_ids_count_up(api):
    first, second = opened(api)["id"], opened(api)["id"]
    assert (first[-4:], second[-4:]) == ("0001", "0002")


def test_open_is_audited(api):
    inv = opened(api, reason="three complaints")
    records = api.get("/v1/audit", params={"subject": inv["id"]}).json()
    assert [(r["action"], r["actor"], r["reason"]) for r in records] == \
        [("investigation.open", "inv-admin", "three complaints")]


def test_get_service_function_raises_domain_not_found(api):
    from tracegraph.investigations import service
    from tracegraph.investigations.errors import InvestigationNotFound
    with pytest.raises(InvestigationNotFound):
        service.get(api.app.state.db, "INV-1999-0001")


def test_title_is_required_when_not_opened_from_alerts(api, db):
    before = counts(db)
    response = api.post("/v1/investigations", json={})
    assert (response.status_code, response.json()["field"], counts(db)) == (422, "title", before)


def test_unknown_subject_is_404_naming_it_and_writes_nothing(api, db):
    before = counts(db)
    response = api.post("/v1/investigations", json={"title": "x", "subjects": {
        "lots": [s.FG1], "serials": [s.D1, "urn:epc:id:sgtin:0614141.812345.NOPE"]}})
    assert (response.status_code, response.json()["field"], counts(db)) == (404, "subjects.serials.1", before)


def test_subject_of_the_wrong_kind_is_422(api, db):
    response = api.post("/v1/investigations", json={"title": "x", "subjects": {"serials": [s.FG1]}})
    assert (response.status_code, response.json()["field"]) == (422, "subjects.serials.0")


def test_unreadable_identifier_is_422_invalid_identifier(api):
    response = api.post("/v1/investigations", json={"title": "x", "subjects": {"sites": ["not an id"]}})
    assert (response.status_code, response.json()["type"]) == (422, PROBLEM + "invalid-identifier")


def test_unknown_alert_is_404_and_writes_nothing(api, db):
    before = counts(db)
    response = api.post("/v1/investigations", json={"alerts": ["no-such-alert"]})
    assert (response.status_code, response.json()["field"], counts(db)) == (404, "alerts.0", before)


def orphan_alert(api) -> dict:
    """D3 received at the hospital with no shipment there: a RECEIVED_NOT_SHIPPED alert on D3."""
    load(api.app.state.db, [receive([s.D3], 70, site=4)], "planted receipt")
    alerts = api.get("/v1/alerts", params={"rule": "RECEIVED_NOT_SHIPPED", "subject": s.D3}).json()["alerts"]
    assert len(alerts) == 1
    return alerts[0]


def test_open_from_an_alert_links_it_takes_its_subject_and_names_it(api):
    alert = orphan_alert(api)
    inv = api.post("/v1/investigations", json={"alerts": [alert["id"]]}).json()
    assert (inv["alerts"], inv["subjects"], inv["title"]) == \
        ([alert["id"]], [{"kind": "serial", "epc": s.D3}], f"RECEIVED_NOT_SHIPPED on {s.D3}")


def test_list_filters_by_alert_subject_and_state(api):
    alert = orphan_alert(api)
    from_alert = api.post("/v1/investigations", json={"alerts": [alert["id"]]}).json()["id"]
    by_hand = opened(api, subjects={"lots": [s.FG1]})["id"]
    step(api, by_hand, "in_progress")

    def ids(**params):
        return [i["id"] for i in api.get("/v1/investigations", params=params).json()["investigations"]]
    assert (ids(), ids(alert=alert["id"]), ids(subject=FG1_LINK), ids(state="open"), ids(owner="nobody")) == \
        ([by_hand, from_alert], [from_alert], [by_hand], [from_alert], [])


# --- life cycle -----------------------------------------------------------------------

def test_full_life_cycle_records_who_when_and_why(api):
    inv = opened(api)["id"]
    step(api, inv, "in_progress", "started")
    step(api, inv, "root_cause_identified", "found it",
         root_cause={"category": "material", "text": "resin lot out of spec"})
    done = step(api, inv, "closed", "CAPA opened").json()
    assert ([(x["from"], x["to"], x["by"], x["reason"]) for x in done["steps"]], done["state"],
            done["closed"] is not None, done["allowed"]) == (
        [("open", "in_progress", "inv-admin", "started"),
         ("in_progress", "root_cause_identified", "inv-admin", "found it"),
         ("root_cause_identified", "closed", "inv-admin", "CAPA opened")], "closed", True, [])


def test_every_step_is_audited_with_its_reason(api):
    inv = opened(api)["id"]
    step(api, inv, "in_progress", "started")
    records = api.get("/v1/audit", params={"subject": inv, "action": "investigation.in_progress"}).json()
    assert [(r["actor"], r["reason"]) for r in records] == [("inv-admin", "started")]


@pytest.mark.parametrize("path, to, allowed", [
    ([], "closed", ["in_progress"]),
    ([], "root_cause_identified", ["in_progress"]),
    (["in_progress"], "open", ["root_cause_identified"]),
    (["in_progress"], "closed", ["root_cause_identified"]),
    (["in_progress", "root_cause_identified", "closed"], "in_progress", []),
])
def test_illegal_step_is_409_naming_the_allowed_ones_and_writes_nothing(api, db, path, to, allowed):
    inv = opened(api)["id"]
    api.put(f"/v1/investigations/{inv}/root-cause", json={"category": "design", "text": "t"})
    for state in path:
        assert step(api, inv, state).status_code == 200
    before = counts(db)
    response = step(api, inv, to)
    body = response.json()
    assert (response.status_code, body["type"], body["allowed"], counts(db)) == \
        (409, PROBLEM + "invalid-investigation-transition", allowed, before)


def test_illegal_step_detail_names_the_allowed_steps(api):
    inv = opened(api)["id"]
    assert step(api, inv, "closed").json()["detail"].endswith("it can move to: in_progress")


def test_root_cause_identified_needs_a_root_cause(api, db):
    inv = opened(api)["id"]
    step(api, inv, "in_progress")
    before = counts(db)
    response = step(api, inv, "root_cause_identified")
    assert (response.status_code, response.json()["type"], counts(db)) == \
        (409, PROBLEM + "root-cause-missing", before)


def test_a_disproved_root_cause_sends_it_back_to_in_progress(api):
    inv = opened(api)["id"]
    step(api, inv, "in_progress")
    step(api, inv, "root_cause_identified", root_cause={"category": "design", "text": "t"})
    assert step(api, inv, "in_progress", "retest failed").json()["state"] == "in_progress"


def test_step_needs_a_reason(api):
    inv = opened(api)["id"]
    response = api.post(f"/v1/investigations/{inv}/transitions", json={"to": "in_progress", "reason": ""})
    assert (response.status_code, response.json()["field"]) == (422, "reason")


def test_root_cause_only_goes_with_the_root_cause_step(api, db):
    inv = opened(api)["id"]
    before = counts(db)
    response = step(api, inv, "in_progress", root_cause={"category": "design", "text": "t"})
    assert (response.status_code, response.json()["field"], counts(db)) == (422, "root_cause", before)


# --- findings and root cause ----------------------------------------------------------

def test_findings_are_kept_in_order_with_their_author(api):
    inv = opened(api)["id"]
    api.post(f"/v1/investigations/{inv}/findings", json={"text": "seal width low on 3 units"})
    body = api.post(f"/v1/investigations/{inv}/findings", json={"text": "all from FG1"}).json()
    assert [(f["text"], f["by"]) for f in body["findings"]] == \
        [("seal width low on 3 units", "inv-admin"), ("all from FG1", "inv-admin")]


def test_root_cause_is_recorded_and_audited(api):
    inv = opened(api)["id"]
    body = api.put(f"/v1/investigations/{inv}/root-cause",
                   json={"category": "sterilization", "text": "cycle 42 short"}).json()
    records = api.get("/v1/audit", params={"subject": inv, "action": "investigation.root_cause"}).json()
    assert ((body["root_cause"]["category"], body["root_cause"]["text"], body["root_cause"]["by"]), len(records)) == \
        (("sterilization", "cycle 42 short", "inv-admin"), 1)


def test_unknown_root_cause_category_is_422_listing_the_categories(api, db):
    inv = opened(api)["id"]
    before = counts(db)
    response = api.put(f"/v1/investigations/{inv}/root-cause", json={"category": "gremlins", "text": "t"})
    body = response.json()
    assert (response.status_code, body["field"], "material" in body["categories"], counts(db)) == \
        (422, "category", True, before)


def test_root_cause_categories_come_from_a_yaml_file_when_configured(bare_client, db, tmp_path):
    path = tmp_path / "causes.yaml"
    path.write_text("categories:\n  - resin\n  - welding\n")
    api = app_client(bare_client, db, tmp_path, root_cause_categories_file=path)
    inv = opened(api)["id"]
    listed = api.get("/v1/investigations/root-cause-categories").json()["categories"]
    refused = api.put(f"/v1/investigations/{inv}/root-cause", json={"category": "material", "text": "t"})
    accepted = api.put(f"/v1/investigations/{inv}/root-cause", json={"category": "welding", "text": "t"})
    assert (listed, refused.status_code, accepted.status_code) == (["resin", "welding"], 422, 200)


def test_patch_changes_owner_team_and_adds_subjects(api):
    inv = opened(api)["id"]
    body = api.patch(f"/v1/investigations/{inv}", json={"owner": "bo", "team": "eu", "reason": "handover",
                                                         "subjects": {"lots": [s.FG1]}}).json()
    records = api.get("/v1/audit", params={"subject": inv, "action": "investigation.update"}).json()
    assert (body["owner"], body["team"], body["subjects"], records[0]["reason"]) == \
        ("bo", "eu", [{"kind": "lot", "epc": s.FG1}], "handover")


def test_patch_with_nothing_is_refused(api):
    inv = opened(api)["id"]
    assert api.patch(f"/v1/investigations/{inv}", json={}).status_code == 422


@pytest.mark.parametrize("method, suffix, body", [
    ("post", "findings", {"text": "late"}),
    ("put", "root-cause", {"category": "design", "text": "t"}),
    ("patch", "", {"owner": "bo"}),
    ("post", "links", {"kind": "event", "target": s.events()[0]["eventID"]}),
    ("post", "trace-snapshots", {"id": s.D1}),
])
def test_a_closed_investigation_refuses_changes_with_409_and_writes_nothing(api, db, method, suffix, body):
    inv = opened(api)["id"]
    step(api, inv, "in_progress")
    step(api, inv, "root_cause_identified", root_cause={"category": "design", "text": "t"})
    step(api, inv, "closed")
    before = counts(db)
    response = getattr(api, method)(f"/v1/investigations/{inv}/{suffix}".rstrip("/"), json=body)
    assert (response.status_code, response.json()["type"], counts(db)) == (409, PROBLEM + "investigation-closed",
                                                                           before)


def test_a_closed_investigation_refuses_uploads_and_stores_no_file(api, db, tmp_path):
    inv = opened(api)["id"]
    step(api, inv, "in_progress")
    step(api, inv, "root_cause_identified", root_cause={"category": "design", "text": "t"})
    step(api, inv, "closed")
    assert (upload(api, inv).status_code, stored_files(tmp_path)) == (409, [])


UNKNOWN = "INV-1999-9999"


@pytest.mark.parametrize("method, path, body", [
    ("get", "", None),
    ("patch", "", {"owner": "bo"}),
    ("post", "/transitions", {"to": "in_progress", "reason": "r"}),
    ("post", "/findings", {"text": "t"}),
    ("put", "/root-cause", {"category": "design", "text": "t"}),
    ("post", "/links", {"kind": "event", "target": "urn:uuid:x"}),
    ("post", "/trace-snapshots", {"id": s.D1}),
    ("get", "/evidence/nope/content", None),
    ("get", "/timeline", None),
])
def test_unknown_investigation_is_404(api, db, method, path, body):
    before = counts(db)
    kwargs = {"json": body} if body is not None else {}
    response = getattr(api, method)(f"/v1/investigations/{UNKNOWN}{path}", **kwargs)
    assert (response.status_code, response.json()["type"], counts(db)) == (404, PROBLEM + "not-found", before)


def test_upload_to_an_unknown_investigation_is_404_and_stores_nothing(api, tmp_path):
    assert (upload(api, UNKNOWN).status_code, stored_files(tmp_path)) == (404, [])


# --- evidence: files ------------------------------------------------------------------

def test_upload_stores_the_file_under_its_sha256(api, tmp_path):
    inv = opened(api)["id"]
    response = upload(api, inv, note="lab report")
    body = response.json()
    digest = hashlib.sha256(PDF).hexdigest()
    assert (response.status_code, body["sha256"], body["size"], body["content_type"], body["filename"],
            body["note"], stored_files(tmp_path)) == \
        (201, digest, len(PDF), "application/pdf", "report.pdf", "lab report", [digest])


def test_download_returns_the_same_bytes_as_an_attachment_never_sniffed(api):
    inv = opened(api)["id"]
    evidence = upload(api, inv).json()
    response = api.get(f"/v1/investigations/{inv}/evidence/{evidence['id']}/content")
    h = response.headers
    assert (response.status_code, response.content, h["content-type"], h["x-content-type-options"],
            h["content-disposition"].startswith('attachment; filename="report.pdf"'),
            h["x-evidence-sha256"]) == \
        (200, PDF, "application/pdf", "nosniff", True, hashlib.sha256(PDF).hexdigest())


def test_download_of_an_html_looking_text_file_is_still_an_attachment(api):
    inv = opened(api)["id"]
    evidence = upload(api, inv, b"<script>alert(1)</script>", "x.html", "text/plain").json()
    h = api.get(f"/v1/investigations/{inv}/evidence/{evidence['id']}/content").headers
    assert (h["content-type"].split(";")[0], h["content-disposition"].split(";")[0], h["x-content-type-options"]) == \
        ("text/plain", "attachment", "nosniff")


def test_a_filename_with_a_path_and_unicode_is_kept_safe(api):
    inv = opened(api)["id"]
    evidence = upload(api, inv, b"notes", "../../etc/Prüfbericht.txt", "text/plain").json()
    h = api.get(f"/v1/investigations/{inv}/evidence/{evidence['id']}/content").headers
    assert (evidence["filename"], h["content-disposition"]) == \
        ("Prüfbericht.txt", "attachment; filename=\"Pr_fbericht.txt\"; filename*=UTF-8''Pr%C3%BCfbericht.txt")


def test_the_same_bytes_again_give_the_first_record_back(api, tmp_path):
    inv = opened(api)["id"]
    first = upload(api, inv).json()
    again = upload(api, inv, name="copy.pdf")
    assert (again.status_code, again.json()["id"], len(api.get(f"/v1/investigations/{inv}").json()["evidence"]),
            len(stored_files(tmp_path))) == (200, first["id"], 1, 1)


def test_oversized_upload_is_413_and_stores_nothing(api, db, tmp_path):
    inv = opened(api)["id"]
    before = counts(db)
    response = upload(api, inv, data=b"a" * 4097, name="big.txt", kind="text/plain")
    assert (response.status_code, response.json()["type"], counts(db), stored_files(tmp_path)) == \
        (413, PROBLEM + "evidence-too-large", before, [])


def test_upload_at_the_limit_is_accepted(api):
    inv = opened(api)["id"]
    assert upload(api, inv, data=b"a" * 4096, name="edge.txt", kind="text/plain").status_code == 201


@pytest.mark.parametrize("data, name, kind", [
    (b"MZ\x90\x00" + b"\x00" * 60, "tool.exe", "application/x-msdownload"),  # not an accepted type
    (b"<html></html>", "page.html", "text/html"),
    (b"MZ\x90\x00" + b"\x00" * 60, "report.pdf", "application/pdf"),  # an executable claiming to be a PDF
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 30, "notes.txt", "text/plain"),  # an image claiming to be text
    (b"\xff\xfe\x00\x00binary", "notes.csv", "text/csv"),  # not UTF-8
    (b"", "empty.txt", "text/plain"),
])
def test_disallowed_or_disguised_upload_is_415_and_stores_nothing(api, db, tmp_path, data, name, kind):
    inv = opened(api)["id"]
    before = counts(db)
    response = upload(api, inv, data=data, name=name, kind=kind)
    assert (response.status_code, response.json()["type"], counts(db), stored_files(tmp_path)) == \
        (415, PROBLEM + "unsupported-evidence-type", before, [])


def test_upload_is_audited_with_the_hash(api):
    inv = opened(api)["id"]
    upload(api, inv)
    records = api.get("/v1/audit", params={"subject": inv, "action": "investigation.evidence"}).json()
    assert len(records) == 1 and records[0]["after_digest"]


def test_a_file_changed_on_disk_is_not_served(api, tmp_path):
    inv = opened(api)["id"]
    evidence = upload(api, inv).json()
    digest = evidence["sha256"]
    (tmp_path / "evidence" / digest[:2] / digest).write_bytes(b"tampered")
    response = api.get(f"/v1/investigations/{inv}/evidence/{evidence['id']}/content")
    assert (response.status_code, response.json()["type"]) == (500, PROBLEM + "evidence-unavailable")


def test_unknown_evidence_id_is_404(api):
    inv = opened(api)["id"]
    assert api.get(f"/v1/investigations/{inv}/evidence/nope/content").status_code == 404


# --- evidence: links and trace snapshots ----------------------------------------------

def test_links_to_an_event_an_alert_a_saved_scope_and_a_hold(api):
    alert = orphan_alert(api)
    inv = opened(api)["id"]
    scope = api.post("/v1/recall-scope", json={"starts": [{"kind": "lot", "id": s.FG1}], "save": True}).json()
    hold = api.post("/v1/holds", json={"kind": "lot", "target": s.FG1, "reason": "suspect"}).json()["id"]
    event = s.events()[9]["eventID"]
    kinds = []
    for kind, target in (("event", event), ("alert", alert["id"]), ("scope", scope["scope_id"]), ("hold", hold)):
        response = api.post(f"/v1/investigations/{inv}/links", json={"kind": kind, "target": target})
        kinds.append((response.status_code, response.json()["kind"], response.json()["target"]))
    assert kinds == [(201, "event", event), (201, "alert", alert["id"]), (201, "scope", scope["scope_id"]),
                     (201, "hold", hold)]


@pytest.mark.parametrize("kind", ["event", "alert", "scope", "hold"])
def test_link_to_an_unknown_target_is_404_and_writes_nothing(api, db, kind):
    inv = opened(api)["id"]
    before = counts(db)
    response = api.post(f"/v1/investigations/{inv}/links", json={"kind": kind, "target": "no-such-thing"})
    assert (response.status_code, response.json()["field"], counts(db)) == (404, "target", before)


def test_trace_snapshot_keeps_the_trace_answer_as_json_evidence(api):
    inv = opened(api)["id"]
    evidence = api.post(f"/v1/investigations/{inv}/trace-snapshots",
                        json={"id": FG1_LINK, "direction": "forward"}).json()
    stored = api.get(f"/v1/investigations/{inv}/evidence/{evidence['id']}/content")
    live = api.get("/v1/trace/forward", params={"id": s.FG1}).json()
    assert (evidence["kind"], evidence["target"], evidence["direction"], stored.json(),
            hashlib.sha256(stored.content).hexdigest()) == ("trace", s.FG1, "forward", live, evidence["sha256"])


def test_trace_snapshot_of_an_unknown_item_is_404_and_writes_nothing(api, db, tmp_path):
    inv = opened(api)["id"]
    before = counts(db)
    response = api.post(f"/v1/investigations/{inv}/trace-snapshots",
                        json={"id": "urn:epc:id:sgtin:0614141.812345.NOPE"})
    assert (response.status_code, counts(db), stored_files(tmp_path)) == (404, before, [])


# --- timeline -------------------------------------------------------------------------

def test_timeline_lists_alert_opening_steps_and_work_in_time_order(api):
    alert = orphan_alert(api)
    inv = api.post("/v1/investigations", json={"alerts": [alert["id"]]}).json()["id"]
    step(api, inv, "in_progress", "started")
    api.post(f"/v1/investigations/{inv}/findings", json={"text": "seen"})
    upload(api, inv)
    entries = api.get(f"/v1/investigations/{inv}/timeline").json()["entries"]
    assert ([e["action"] for e in entries], [e["subject"] for e in entries][:2],
            [e["at"] for e in entries] == sorted(e["at"] for e in entries)) == (
        ["alert.opened", "investigation.open", "investigation.in_progress", "investigation.finding",
         "investigation.evidence"], [alert["id"], inv], True)


def test_audit_chain_verifies_after_investigation_work(api):
    inv = opened(api, subjects={"lots": [s.FG1]})["id"]
    step(api, inv, "in_progress")
    upload(api, inv)
    assert api.get("/v1/audit/verify").json()["ok"] is True


def test_schema_has_the_investigation_and_capa_keys(db):
    from graph import schema
    names = {"investigation_id", "investigation_evidence_id", "record_sequence_name", "capa_id", "capa_action_id"}
    present = set(db.read("schema/check", names=sorted(names))[0]["present"])
    assert (names <= set(schema.required_constraints()), present) == (True, names)
