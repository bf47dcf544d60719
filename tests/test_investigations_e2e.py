"""The quality loop end to end through the API, e-signatures on: a rule fires on planted
data, an investigation opened from the alert finds the lot behind it, a CAPA fixes it, its
effectiveness is verified, closure takes an e-signature, and the audit chain verifies."""
import hashlib

from tests import scenario as s
from tests.epcis import receive
from tests.investigation_support import PASSWORD, app_client, as_user
from tests.test_rules_support import load

LAB_REPORT = b"%PDF-1.4\n% resin lot C: melt index out of specification\n%%EOF\n"


def ok(response, status=200) -> dict:
    assert response.status_code == status, response.text
    return response.json()


def test_alert_to_investigation_to_capa_closed_with_signature(bare_client, db, tmp_path):
    admin = app_client(bare_client, db, tmp_path, esign_required=True)
    qa = as_user(admin, db, "qa", "quality")
    # 1. planted: D3 turns up at the hospital (site 4) with no shipment there
    planted = receive([s.D3], 70, site=4)
    load(db, [planted], "planted receipt")
    alerts = ok(qa.get("/v1/alerts", params={"rule": "RECEIVED_NOT_SHIPPED", "subject": s.D3}))["alerts"]
    assert len(alerts) == 1
    alert = alerts[0]["id"]
    for to in ("acknowledged", "investigating"):
        ok(qa.post(f"/v1/alerts/{alert}/transitions", json={"to": to, "reason": "taken by QA"}))

    # 2. investigation from the alert; the backward trace points at lot C
    inv = ok(qa.post("/v1/investigations", json={"alerts": [alert], "team": "quality-eu",
                                                  "reason": "device at a hospital without a shipment"}), 201)
    assert inv["subjects"] == [{"kind": "serial", "epc": s.D3}]
    inv_id = inv["id"]
    ok(qa.post(f"/v1/investigations/{inv_id}/transitions", json={"to": "in_progress", "reason": "started"}))
    snapshot = ok(qa.post(f"/v1/investigations/{inv_id}/trace-snapshots",
                          json={"id": s.D3, "direction": "backward"}), 201)
    traced = ok(qa.get(f"/v1/investigations/{inv_id}/evidence/{snapshot['id']}/content"))
    assert s.C in traced["lots"]
    ok(qa.patch(f"/v1/investigations/{inv_id}", json={"subjects": {"lots": [s.C]}, "reason": "input lot"}))
    ok(qa.post(f"/v1/investigations/{inv_id}/links", json={"kind": "event", "target": planted["eventID"]}), 201)
    report = ok(qa.post(f"/v1/investigations/{inv_id}/evidence",
                        files={"file": ("lab-report.pdf", LAB_REPORT, "application/pdf")}), 201)
    assert report["sha256"] == hashlib.sha256(LAB_REPORT).hexdigest()
    ok(qa.post(f"/v1/investigations/{inv_id}/findings", json={"text": "lot C resin out of spec"}), 201)
    ok(qa.post(f"/v1/investigations/{inv_id}/transitions", json={
        "to": "root_cause_identified", "reason": "lab confirmed",
        "root_cause": {"category": "material", "text": "resin lot C melt index out of specification"}}))

    # 3. CAPA with corrective and preventive actions; the investigation closes
    capa = ok(qa.post("/v1/capas", json={
        "title": "Resin incoming inspection", "investigations": [inv_id],
        "effectiveness_criteria": "no out-of-spec resin accepted in 3 months",
        "actions": [{"kind": "corrective", "description": "quarantine resin lot C", "owner": "qa",
                     "due": "2030-01-31"},
                    {"kind": "preventive", "description": "melt index test at goods-in", "owner": "qa",
                     "due": "2030-03-31"}]}), 201)
    capa_id = capa["id"]
    ok(qa.post(f"/v1/investigations/{inv_id}/transitions",
               json={"to": "closed", "reason": f"{capa_id} opened"}))
    ok(qa.post(f"/v1/capas/{capa_id}/transitions", json={"to": "in_progress", "reason": "started"}))
    for a in capa["actions"]:
        ok(qa.patch(f"/v1/capas/{capa_id}/actions/{a['id']}", json={"status": "in_progress"}))
        ok(qa.patch(f"/v1/capas/{capa_id}/actions/{a['id']}", json={"status": "done", "note": "done"}))
    ok(qa.post(f"/v1/capas/{capa_id}/transitions", json={"to": "effectiveness_check", "reason": "all done"}))
    ok(qa.post(f"/v1/capas/{capa_id}/verifications", json={
        "criteria": "no out-of-spec resin accepted", "evidence": "3 months of goods-in records",
        "evidence_ids": [report["id"]], "result": "effective"}), 201)

    # 4. closure: refused without a signature and with a wrong one, then signed
    close = {"to": "closed", "reason": "verified effective"}
    unsigned = qa.post(f"/v1/capas/{capa_id}/transitions", json=close)
    wrong = qa.post(f"/v1/capas/{capa_id}/transitions",
                    json={**close, "signature": {"password": "not mine", "meaning": "approved"}})
    still = ok(qa.get(f"/v1/capas/{capa_id}"))["state"]
    signed = ok(qa.post(f"/v1/capas/{capa_id}/transitions",
                        json={**close, "signature": {"password": PASSWORD, "meaning": "approved"}}))

    record = ok(admin.get("/v1/audit", params={"subject": capa_id, "action": "capa.closed"}))[0]
    timeline = ok(qa.get(f"/v1/investigations/{inv_id}/timeline"))["entries"]
    verified = ok(admin.get("/v1/audit/verify"))

    assert (unsigned.status_code, wrong.status_code, still, signed["state"], signed["effective"]) == \
        (422, 403, "effectiveness_check", "closed", True)
    assert (record["esign_signer"], record["esign_meaning"], record["actor"]) == ("qa", "approved", "qa")
    assert {"alert.opened", "alert.investigating", "investigation.open", "investigation.root_cause_identified",
            "investigation.closed", "capa.create", "capa.verification", "capa.closed"} <= \
        {e["action"] for e in timeline}
    assert (verified["ok"], verified["records"] > 10) == (True, True)
