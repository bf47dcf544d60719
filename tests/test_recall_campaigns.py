"""Recall campaigns through the API and the CLI (issue 14 sections 3-5) on the hand-checked
scenario of tests/scenario.py with the owners of tests/partners.py: sites 1 and 2 are the
maker's (Acme), site 3 the distributor's (Dist Co), site 4 the hospital's. D1 and D2 of lot
FG1 went in a case on a pallet 2 → 3, the case 3 → 4; D2 was used at 4; D3 never left."""
import json
from urllib.parse import quote

import pytest

from loaders.epcis.document import parse_document
from tests import epcis
from tests import partners as p
from tests import scenario as s
from tracegraph.capture.writer import write_document

FG1 = s.FG1


def body(**extra) -> dict:
    return {"starts": [{"kind": "lot", "id": FG1}], "classification": "II", "type": "removal", "depth": "user",
            "reason": "seal may leak", **extra}


@pytest.fixture
def api(client, db):
    p.load(db)
    return client


def create(api, **extra) -> dict:
    r = api.post("/v1/recalls", json=body(**extra))
    assert r.status_code == 201, r.text
    return r.json()


def notices(api, cid) -> dict:
    return {n["site"]: n for n in api.get(f"/v1/recalls/{cid}/notices").json()}


def test_user_depth_notifies_distributor_and_hospital_with_their_serials(api):
    cid = create(api)["id"]
    assert {site: n["serials"] for site, n in notices(api, cid).items()} == \
        {s.SITE[3]: sorted([s.D1, s.D2]), s.SITE[4]: sorted([s.D1, s.D2])}


def test_wholesale_depth_notifies_direct_accounts_only(api):
    cid = create(api, depth="wholesale")["id"]
    assert set(notices(api, cid)) == {s.SITE[3]}


def test_notice_names_party_lots_gtins_and_quantities(api):
    cid = create(api)["id"]
    n = notices(api, cid)[s.SITE[3]]
    assert (n["party"], n["lots"], n["gtins"], n["quantity"], n["lines"]) == \
        (p.DIST, [FG1], ["80614141123458"], 2, [{"gtin": "80614141123458", "lot": FG1, "quantity": 2}])


def test_status_before_notification(api):
    cid = create(api)["id"]
    st = api.get(f"/v1/recalls/{cid}/status").json()
    assert {k: st[k] for k in ("consignees_notified", "consignees_responded", "consignees_not_responded",
                               "units_in_scope", "units_outstanding")} == \
        {"consignees_notified": 0, "consignees_responded": 0, "consignees_not_responded": 0, "units_in_scope": 2,
         "units_outstanding": 2}


def test_acks_and_returns_move_the_figures(api):
    cid = create(api)["id"]
    assert api.post(f"/v1/recalls/{cid}/notify").json()["issued"] == 2
    assert api.post(f"/v1/recalls/{cid}/acknowledgements", json={"site": s.SITE[4], "units_on_hand": 1}).status_code \
        == 200
    r = api.post(f"/v1/recalls/{cid}/returns", json={"units": [{"serial": s.D1, "disposition": "returned"},
                                                                {"serial": s.D2, "disposition": "destroyed"}]})
    assert r.json() == {"recorded": 2}
    st = api.get(f"/v1/recalls/{cid}/status").json()
    assert {k: st[k] for k in ("consignees_notified", "consignees_responded", "consignees_not_responded",
                               "units_returned", "units_destroyed", "units_outstanding")} == \
        {"consignees_notified": 2, "consignees_responded": 1, "consignees_not_responded": 1, "units_returned": 1,
         "units_destroyed": 1, "units_outstanding": 0}


def test_close_is_refused_with_the_outstanding_list_and_writes_nothing(api):
    cid = create(api)["id"]
    api.post(f"/v1/recalls/{cid}/notify")
    api.post(f"/v1/recalls/{cid}/returns", json={"units": [{"serial": s.D1}]})
    r = api.post(f"/v1/recalls/{cid}/close", json={})
    assert (r.status_code, r.json()["outstanding"], api.get(f"/v1/recalls/{cid}").json()["state"]) == \
        (409, [{"serial": s.D2, "sites": [s.SITE[3], s.SITE[4]]}], "in_progress")


def test_close_when_every_unit_is_accounted_for(api):
    cid = create(api)["id"]
    api.post(f"/v1/recalls/{cid}/notify")
    api.post(f"/v1/recalls/{cid}/returns", json={"units": [
        {"serial": s.D1, "disposition": "corrected"},
        {"serial": s.D2, "disposition": "justified", "note": "used in a procedure before the recall"}]})
    assert api.post(f"/v1/recalls/{cid}/close", json={"reason": "all accounted"}).json()["state"] == "terminated"


def test_a_closed_campaign_refuses_acknowledgements_naming_the_allowed_states(api):
    cid = create(api)["id"]
    api.post(f"/v1/recalls/{cid}/notify")
    api.post(f"/v1/recalls/{cid}/returns", json={"units": [{"serial": s.D1}, {"serial": s.D2}]})
    api.post(f"/v1/recalls/{cid}/close", json={})
    r = api.post(f"/v1/recalls/{cid}/acknowledgements", json={"site": s.SITE[3]})
    assert (r.status_code, r.json()["allowed"]) == (409, ["in_progress"])


def test_return_event_counts_automatically(api, db):
    cid = create(api)["id"]
    api.post(f"/v1/recalls/{cid}/notify")
    back = epcis.observe([s.D1], 100, site=4, biz_step="shipping", disposition="in_transit", destination=1)
    write_document(db, parse_document(epcis.document([back]), "return"))
    used = epcis.decommission([s.D2], 101, site=4)
    write_document(db, parse_document(epcis.document([used]), "destroyed"))
    st = api.get(f"/v1/recalls/{cid}/status").json()
    assert (st["units_returned"], st["units_destroyed"], st["units_outstanding"]) == (1, 1, 0)


def test_events_recorded_before_the_campaign_do_not_count(api):
    cid = create(api)["id"]  # D2 was decommissioned before: still to be accounted for
    assert api.get(f"/v1/recalls/{cid}/status").json()["units_destroyed"] == 0


def test_snapshot_later_shipments_change_nothing_until_rescoped(api, db):
    cid = create(api, depth="wholesale")["id"]
    write_document(db, parse_document(epcis.document([epcis.ship([s.D3], 200, site=2, destination=4)]), "late"))
    before = notices(api, cid)
    diff = api.get(f"/v1/recalls/{cid}/rescope").json()
    assert (set(before), [n["site"] for n in diff["consignees_added"]], diff["consignees_added"][0]["serials"]) == \
        ({s.SITE[3]}, [s.SITE[4]], [s.D3])


def test_rescope_adds_consignees_only_when_asked(api, db):
    cid = create(api, depth="wholesale")["id"]
    write_document(db, parse_document(epcis.document([epcis.ship([s.D3], 200, site=2, destination=4)]), "late"))
    api.post(f"/v1/recalls/{cid}/rescope", json={"sites": [s.SITE[4]]})
    assert {site: n["serials"] for site, n in notices(api, cid).items()} == \
        {s.SITE[3]: sorted([s.D1, s.D2]), s.SITE[4]: [s.D3]}


def test_rescope_refuses_a_site_the_data_does_not_show(api):
    cid = create(api)["id"]
    r = api.post(f"/v1/recalls/{cid}/rescope", json={"sites": [s.SITE[1]]})
    assert (r.status_code, r.json()["field"]) == (422, "sites[0]")


def test_partner_sees_only_its_own_notice(api, client_as):
    cid = create(api)["id"]
    partner = client_as("partner", party=p.DIST)
    assert [n["site"] for n in partner.get(f"/v1/recalls/{cid}/notices").json()] == [s.SITE[3]]


def test_partner_acknowledging_another_partys_notice_gets_404_and_nothing_changes(api, client_as):
    cid = create(api)["id"]
    api.post(f"/v1/recalls/{cid}/notify")
    partner = client_as("partner", party=p.DIST)
    r = partner.post(f"/v1/recalls/{cid}/acknowledgements", json={"site": s.SITE[4]})
    assert (r.status_code, notices(api, cid)[s.SITE[4]]["state"]) == (404, "issued")


def test_partner_acknowledges_its_own_notice(api, client_as):
    cid = create(api)["id"]
    api.post(f"/v1/recalls/{cid}/notify")
    partner = client_as("partner", party=p.DIST)
    r = partner.post(f"/v1/recalls/{cid}/acknowledgements", json={"site": s.SITE[3], "units_on_hand": 2})
    assert (r.status_code, r.json()["state"], r.json()["units_on_hand"]) == (200, "acknowledged", 2)


def test_partner_of_an_unrelated_party_sees_no_campaign(api, client_as):
    cid = create(api)["id"]
    r = client_as("partner", party=p.OTHER).get(f"/v1/recalls/{cid}/notices")
    assert r.status_code == 404


def test_partner_cannot_return_a_serial_not_on_its_notices(api, client_as, db):
    write_document(db, parse_document(epcis.document([epcis.ship([s.D3], 200, site=2, destination=4)]), "late"))
    cid = create(api)["id"]
    r = client_as("partner", party=p.DIST).post(f"/v1/recalls/{cid}/returns", json={"units": [{"serial": s.D3}]})
    assert r.status_code == 404


def test_unknown_campaign_is_404(api):
    assert api.get("/v1/recalls/no-such-campaign/status").status_code == 404


def test_unknown_lot_is_404_and_creates_nothing(api):
    r = api.post("/v1/recalls", json={**body(), "starts": [{"kind": "lot", "id": epcis.lgtin("NOPE", "812345")}]})
    assert (r.status_code, api.get("/v1/recalls").json()["campaigns"]) == (404, [])


def test_unknown_investigation_is_422_naming_the_field(api):
    r = api.post("/v1/recalls", json=body(investigation_id="INV-404"))
    assert (r.status_code, r.json()["field"], api.get("/v1/recalls").json()["campaigns"]) == \
        (422, "investigation_id", [])


def test_existing_investigation_is_linked(api, db):
    db.write("test/create_investigation", id="INV-1")
    assert create(api, investigation_id="INV-1")["investigation_id"] == "INV-1"


def test_bad_classification_is_422(api):
    r = api.post("/v1/recalls", json=body(classification="IV"))
    assert (r.status_code, r.json()["field"]) == (422, "classification")


def test_justified_without_note_is_422(api):
    cid = create(api)["id"]
    r = api.post(f"/v1/recalls/{cid}/returns", json={"units": [{"serial": s.D1, "disposition": "justified"}]})
    assert r.status_code == 422


def test_returning_a_serial_outside_the_campaign_is_422(api):
    cid = create(api)["id"]
    r = api.post(f"/v1/recalls/{cid}/returns", json={"units": [{"serial": s.S1}]})
    assert (r.status_code, r.json()["field"]) == (422, "units[0].serial")


def test_effectiveness_check_level_a_samples_every_notified_consignee(api):
    cid = create(api)["id"]
    api.post(f"/v1/recalls/{cid}/notify")
    r = api.post(f"/v1/recalls/{cid}/effectiveness-checks", json={"level": "A", "seed": 3})
    assert [x["site"] for x in r.json()["sample"]] == [s.SITE[3], s.SITE[4]]


def test_effectiveness_check_before_notification_is_409(api):
    cid = create(api)["id"]
    r = api.post(f"/v1/recalls/{cid}/effectiveness-checks", json={"level": "A"})
    assert (r.status_code, r.json()["allowed"]) == (409, ["in_progress"])


def test_failed_check_is_flagged(api):
    cid = create(api)["id"]
    api.post(f"/v1/recalls/{cid}/notify")
    check = api.post(f"/v1/recalls/{cid}/effectiveness-checks", json={"level": "A", "seed": 1}).json()
    api.post(f"/v1/recalls/{cid}/effectiveness-checks/{check['id']}/results",
             json={"site": s.SITE[3], "result": "effective"})
    done = api.post(f"/v1/recalls/{cid}/effectiveness-checks/{check['id']}/results",
                    json={"site": s.SITE[4], "result": "not_received"}).json()
    assert (done["failed"], done["failures"], done["pending"]) == (True, [s.SITE[4]], 0)


@pytest.mark.parametrize("kind,field", [("cfr806", "total_number_of_devices_subject_to_the_correction_or_removal"),
                                        ("status", "number_of_consignees_notified"),
                                        ("fsca", "field_safety_notice")])
def test_reports_as_json(api, kind, field):
    cid = create(api)["id"]
    assert field in api.get(f"/v1/recalls/{cid}/reports/{kind}").json()


@pytest.mark.parametrize("fmt,magic", [("pdf", b"%PDF"), ("xlsx", b"PK")])
def test_reports_as_files(api, fmt, magic):
    cid = create(api)["id"]
    api.post(f"/v1/recalls/{cid}/notify")
    assert api.get(f"/v1/recalls/{cid}/reports/status?format={fmt}").content[:len(magic)] == magic


def test_notice_as_html_links_the_reply_to_the_console_partner_page(api):
    cid = create(api)["id"]
    html = api.get(f"/v1/recalls/{cid}/notices/{quote(s.SITE[3], safe='')}?format=html").text
    link = f'href="{api.app.state.db.settings.public_url.rstrip("/")}/#/partner?recall={cid}"'
    assert (link in html, s.D1 in html, "<form" in html) == (True, True, False)


def test_notice_as_pdf(api):
    cid = create(api)["id"]
    assert api.get(f"/v1/recalls/{cid}/notices/{s.SITE[3]}?format=pdf").content[:4] == b"%PDF"


def test_every_write_is_audited(api, db):
    cid = create(api)["id"]
    api.post(f"/v1/recalls/{cid}/notify")
    actions = {r["action"] for r in db.read("test/audit_actions")}
    assert {"recall.campaign.create", "recall.campaign.notify"} <= actions


# --- ownership from EPCIS when master data is silent -----------------------------------------------------------

def _owned_ship(epcs, minutes, site, destination, src_owner, dst_owner):
    ev = epcis.ship(epcs, minutes, site=site, destination=destination)
    ev["sourceList"] = [{"type": "owning_party", "source": src_owner}]
    ev["destinationList"] = ev["destinationList"] + [{"type": "owning_party", "destination": dst_owner}]
    return ev


def test_makers_own_dc_without_master_data_is_not_a_consignee(api, db):
    lot = epcis.lgtin("OWN", "812345")
    x1, x2 = epcis.sgtin("X1"), epcis.sgtin("X2")
    history = [epcis.transform(1, input_lots=[s.A], outputs=[x1, x2], lot_number="OWN", site=1),
               _owned_ship([x1, x2], 2, site=1, destination=7, src_owner=p.MFR, dst_owner=p.MFR),  # own DC
               _owned_ship([x1], 3, site=7, destination=3, src_owner=p.MFR, dst_owner=p.DIST)]
    write_document(db, parse_document(epcis.document(history), "dc"))
    cid = create(api, starts=[{"kind": "lot", "id": lot}], depth="wholesale")["id"]
    assert {site: n["serials"] for site, n in notices(api, cid).items()} == {s.SITE[3]: [x1]}


# --- CLI contract (section 4) ----------------------------------------------------------------------------------

def cli_create(cli, *extra) -> dict:
    r = cli("recall", "create", "--lot", FG1, "--classification", "II", "--type", "removal", "--depth", "user",
            "--reason", "seal may leak", "--json", *extra)
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


def test_cli_create_prints_the_campaign_with_its_id(db, cli):
    p.load(db)
    assert cli_create(cli)["scope_serials"] == 3


def test_cli_notices_lists_site_party_and_sorted_serials(db, cli):
    p.load(db)
    cid = cli_create(cli)["id"]
    out = json.loads(cli("recall", "notices", cid, "--json").output)
    assert [(n["site"], n["party"], n["serials"]) for n in out] == \
        [(s.SITE[3], p.DIST, sorted([s.D1, s.D2])), (s.SITE[4], p.HOSP, sorted([s.D1, s.D2]))]


def test_cli_loop_status_and_close(db, cli):
    p.load(db)
    cid = cli_create(cli)["id"]
    assert cli("recall", "notify", cid).exit_code == 0
    assert cli("recall", "ack", cid, "--site", s.SITE[3], "--units-on-hand", "2").exit_code == 0
    assert cli("recall", "return", cid, "--serial", s.D1, "--disposition", "returned").exit_code == 0
    refused = cli("recall", "close", cid)
    st = json.loads(cli("recall", "status", cid, "--json").output)
    assert (refused.exit_code, s.D2 in refused.output, st["consignees_notified"], st["consignees_responded"],
            st["consignees_not_responded"], st["units_in_scope"], st["units_returned"], st["units_corrected"],
            st["units_destroyed"], st["units_outstanding"]) == (1, True, 2, 1, 1, 2, 1, 0, 0, 1)


def test_cli_bad_classification_is_one_line_and_non_zero(db, cli):
    r = cli("recall", "create", "--lot", FG1, "--classification", "IV", "--type", "removal", "--depth", "user",
            "--reason", "x")
    assert (r.exit_code, r.output.strip().count("\n")) == (1, 0)


def test_cli_unknown_campaign_is_non_zero(db, cli):
    assert cli("recall", "status", "nope", "--json").exit_code == 1


def test_recall_manager_runs_a_campaign(api, client_as):
    manager = client_as("recall_manager")
    assert manager.post("/v1/recalls", json=body()).status_code == 201


def test_partner_cannot_create_a_campaign(api, client_as):
    assert client_as("partner", party=p.DIST).post("/v1/recalls", json=body()).status_code == 403



def test_cli_demo_seed_leaves_one_campaign_in_progress(db, cli):
    p.load(db)
    first, again = cli("recall", "demo-seed", "--least", "2"), cli("recall", "demo-seed", "--least", "2")
    from tracegraph.campaigns import service
    found = service.list_campaigns(db)
    assert (first.exit_code, again.exit_code, [c.state.value for c in found]) == (0, 0, ["in_progress"])


def test_close_with_esignature_records_the_signer(db):
    from fastapi.testclient import TestClient

    from api.main import create_app
    from tests.conftest import issue_key
    p.load(db)
    with TestClient(create_app(db.settings.model_copy(update={"esign_required": True}))) as api:
        api.headers["Authorization"] = f"Bearer {issue_key(db, 'rm', ['recall_manager'], password='pw-long-enough-1')}"
        cid = create(api)["id"]
        api.post(f"/v1/recalls/{cid}/returns", json={"units": [{"serial": s.D1}, {"serial": s.D2}]})
        wrong = api.post(f"/v1/recalls/{cid}/close", json={"signature": {"password": "nope", "meaning": "approved"}})
        right = api.post(f"/v1/recalls/{cid}/close",
                         json={"signature": {"password": "pw-long-enough-1", "meaning": "approved"}})
    signers = [r["signer"] for r in db.read("test/audit_actions") if r["action"] == "recall.campaign.terminate"]
    assert (wrong.status_code, right.status_code, signers) == (403, 200, ["rm"])


def test_cli_report_writes_a_pdf(db, cli, tmp_path):
    p.load(db)
    cid = cli_create(cli)["id"]
    out = tmp_path / "r.pdf"
    r = cli("recall", "report", cid, "--kind", "cfr806", "--format", "pdf", "--out", str(out))
    assert (r.exit_code, out.read_bytes()[:4]) == (0, b"%PDF")


def test_cli_close_needs_a_signer_then_terminates(db, cli, monkeypatch):
    from tests.conftest import issue_key
    p.load(db)
    issue_key(db, "cli-signer", ["recall_manager"], password="pw-long-enough-2")
    cid = cli_create(cli)["id"]
    cli("recall", "return", cid, "--serial", s.D1, "--serial", s.D2, "--disposition", "destroyed")
    unsigned = cli("recall", "close", cid)
    monkeypatch.setenv("TRACEGRAPH_ESIGN_PASSWORD", "pw-long-enough-2")
    signed = cli("recall", "close", cid, "--signer", "cli-signer", "--reason", "all destroyed")
    assert (unsigned.exit_code, signed.exit_code, "terminated" in signed.output) == (1, 0, True)


def test_a_consignee_returns_every_unit_of_its_notice_at_once(api):
    cid = create(api, depth="wholesale")["id"]
    api.post(f"/v1/recalls/{cid}/notify")
    r = api.post(f"/v1/recalls/{cid}/returns", json={"site": s.SITE[3], "disposition": "returned"})
    st = api.get(f"/v1/recalls/{cid}/status").json()
    assert (r.json(), st["units_returned"], st["units_outstanding"]) == ({"recorded": 2}, 2, 0)


def test_returns_need_units_or_a_site_not_both(api):
    cid = create(api)["id"]
    r = api.post(f"/v1/recalls/{cid}/returns", json={"site": s.SITE[3], "units": [{"serial": s.D1}]})
    assert r.status_code == 422


def test_status_counts_by_region(api):
    cid = create(api)["id"]
    api.post(f"/v1/recalls/{cid}/notify")
    st = api.get(f"/v1/recalls/{cid}/status").json()
    assert {k: (v["consignees"], v["units_in_scope"]) for k, v in st["by_region"].items()} == {"unknown": (2, 2)}


# --- GET /v1/recalls/notices: every notice across campaigns ------------------------------------------------

@pytest.fixture
def three(api) -> dict:
    """a: user depth, issued (sites 3 and 4); b: wholesale, issued (site 3); c: user depth, still draft."""
    ids = {"a": create(api)["id"], "b": create(api, depth="wholesale")["id"], "c": create(api)["id"]}
    for key in ("a", "b"):
        assert api.post(f"/v1/recalls/{ids[key]}/notify").status_code == 200
    return ids


def listed(client, query: str = "") -> set[tuple[str, str]]:
    r = client.get(f"/v1/recalls/notices{query}")
    assert r.status_code == 200, r.text
    return {(n["campaign"], n["site"]) for n in r.json()["notices"]}


def test_partner_lists_its_own_issued_notices_across_campaigns(three, client_as):
    assert listed(client_as("partner", party=p.DIST)) == {(three["a"], s.SITE[3]), (three["b"], s.SITE[3])}


def test_another_partner_lists_only_its_own(three, client_as):
    assert listed(client_as("partner", party=p.HOSP)) == {(three["a"], s.SITE[4])}


def test_partner_cannot_widen_its_list_with_a_party_filter(three, client_as):
    assert listed(client_as("partner", party=p.HOSP), f"?party={quote(p.DIST, safe='')}") == {(three["a"], s.SITE[4])}


def test_partner_without_notices_gets_an_empty_list(three, client_as):
    assert client_as("partner", party=p.OTHER).get("/v1/recalls/notices").json()["notices"] == []


def test_listed_notice_carries_its_campaign_and_what_to_do(three, client_as):
    n = client_as("partner", party=p.HOSP).get("/v1/recalls/notices").json()["notices"][0]
    assert {k: n[k] for k in ("campaign", "classification", "type", "reason", "state", "serials", "lots", "quantity")} \
        == {"campaign": three["a"], "classification": "II", "type": "removal", "reason": "seal may leak",
            "state": "issued", "serials": sorted([s.D1, s.D2]), "lots": [FG1], "quantity": 2} and n["action"]


def test_partner_sees_its_acknowledgement_in_the_list(three, client_as):
    partner = client_as("partner", party=p.HOSP)
    partner.post(f"/v1/recalls/{three['a']}/acknowledgements", json={"site": s.SITE[4], "units_on_hand": 1})
    n = partner.get("/v1/recalls/notices").json()["notices"][0]
    assert (n["state"], n["units_on_hand"]) == ("acknowledged", 1)


def test_internal_lists_every_notice_drafts_included(api, three):
    assert listed(api) == {(three[k], site) for k in ("a", "c") for site in (s.SITE[3], s.SITE[4])} | \
        {(three["b"], s.SITE[3])}


def test_internal_filters_by_campaign(api, three):
    assert listed(api, f"?campaign={three['b']}") == {(three["b"], s.SITE[3])}


def test_internal_filters_by_party(api, three):
    assert listed(api, f"?party={quote(p.HOSP, safe='')}") == {(three["a"], s.SITE[4]), (three["c"], s.SITE[4])}


def test_internal_filters_by_site(api, three):
    assert listed(api, f"?site={quote(s.SITE[3], safe='')}") == {(three[k], s.SITE[3]) for k in ("a", "b", "c")}


def test_auditor_lists_notices(api, three, client_as):
    assert len(listed(client_as("auditor"))) == 5


def test_unknown_campaign_filter_is_an_empty_page(api, three, client_as):
    """Chosen over 404: a filter that matches nothing, and a partner learns nothing about other campaigns."""
    answers = [c.get("/v1/recalls/notices?campaign=no-such-campaign")
               for c in (api, client_as("partner", party=p.DIST))]
    assert [(r.status_code, r.json()["total"]) for r in answers] == [(200, 0), (200, 0)]


def test_pages_cover_the_list_once_with_a_next_link(api, three):
    first = api.get("/v1/recalls/notices?limit=2")
    pages, offset = [first.json()], first.json()["next_offset"]
    while offset is not None:
        pages.append(api.get(f"/v1/recalls/notices?limit=2&offset={offset}").json())
        offset = pages[-1]["next_offset"]
    ids = [n["id"] for page in pages for n in page["notices"]]
    assert (len(ids), len(set(ids)), pages[0]["total"], "offset=2" in first.headers["link"]) == (5, 5, 5, True)


@pytest.mark.parametrize("query,field", [("limit=0", "limit"), ("limit=1001", "limit"), ("offset=-1", "offset"),
                                         ("limit=ten", "limit"), ("site=", "site")])
def test_bad_paging_or_filters_are_422_problems(api, query, field):
    r = api.get(f"/v1/recalls/notices?{query}")
    assert (r.status_code, r.headers["content-type"], r.json()["field"]) == (422, "application/problem+json", field)


def test_a_bad_site_filter_is_422(api):
    r = api.get("/v1/recalls/notices?site=not-a-site")
    assert (r.status_code, r.json()["field"]) == (422, "site")


def test_integrator_cannot_list_notices(api, client_as):
    assert client_as("integrator").get("/v1/recalls/notices").status_code == 403
