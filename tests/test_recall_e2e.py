"""The loop end to end through the API on generated data with a planted defect lot:
an alert fires, a hold blocks a shipment, the investigation is linked, the campaign's
scope and every notice equal the networkx oracle, acknowledgements and returns (API and
EPCIS events) move the figures, termination is refused until every unit is accounted
for and then signed, and the audit chain verifies."""
import json
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from loaders.epcis.document import parse_document
from loaders.generator import generate
from tests import epcis as b
from tests.conftest import issue_key
from tests.oracle import Oracle
from tests.test_recall_notices_property import oracle
from tracegraph.capture.writer import write_document
from tracegraph.holds.service import HeldItems

PASSWORD = "a long enough e2e password"
TG = "https://tracegraph.dev/mda#"


def vocab(docs: list[dict], kind: str) -> dict[str, dict]:
    out = {}
    for doc in docs:
        for v in ((doc.get("epcisHeader") or {}).get("epcisMasterData") or {}).get("vocabularyList", []):
            if v["type"] == f"urn:epcglobal:epcis:vtype:{kind}":
                for el in v["vocabularyElementList"]:
                    out[el["id"]] = {a["id"]: a["attribute"] for a in el.get("attributes", [])}
    return out


def stamp(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.000Z")


@pytest.fixture
def world(db, tmp_path):
    generate(tmp_path, 300, seed=5)
    docs = [json.loads(p.read_text()) for p in sorted(tmp_path.glob("part-*.json"))]
    for n, doc in enumerate(docs):
        write_document(db, parse_document(doc, f"part-{n}"))
    events = [ev for doc in docs for ev in doc["epcisBody"]["eventList"]]
    settings = db.settings.model_copy(update={"esign_required": True})
    with TestClient(create_app(settings)) as manager:
        manager.headers["Authorization"] = \
            f"Bearer {issue_key(db, 'e2e-manager', ['recall_manager'], password=PASSWORD)}"
        yield db, docs, events, manager


def test_the_recall_loop(world, client_as):
    db, docs, events, api = world
    sites, parties = vocab(docs, "BusinessLocation"), vocab(docs, "Party")
    classes = vocab(docs, "EPCClass")
    lot, _ = db.read("campaigns/demo_lot", least=3)[0].values()
    serials = Oracle(events).scope([("lot", lot)])["serials"]
    last = max(datetime.fromisoformat(ev["eventTime"]) for ev in events)

    # 1. the planted defect: a unit of the lot fails inspection and is shipped anyway: an alert
    hospital = max(s for s, a in sites.items() if a.get(TG + "siteType") == "hospital")
    firm = {p for p, a in parties.items() if a.get(TG + "role") == "manufacturer"} | \
        {a[TG + "manufacturer"] for a in classes.values() if a.get(TG + "manufacturer")}
    maker_site = min(s for s, a in sites.items() if a.get(TG + "owner") in firm)
    failed = b.observe([serials[0]], 0, site=None, biz_step="inspecting", disposition="damaged")
    failed.update(eventTime=stamp(last + timedelta(minutes=1)), bizLocation={"id": hospital})
    shipped = b.observe([serials[0]], 0, site=None, biz_step="shipping", disposition="in_transit")
    shipped.update(eventTime=stamp(last + timedelta(minutes=2)), bizLocation={"id": hospital},
                   destinationList=[{"type": "location", "destination": maker_site}])
    events += [failed, shipped]
    write_document(db, parse_document(b.document([failed, shipped]), "planted"))
    alerts = api.get("/v1/alerts", params={"rule": "FAILED_INSPECTION_SHIPPED"}).json()["alerts"]
    assert serials[0] in {a["subject"] for a in alerts}

    # 2. a hold on the lot blocks its shipment
    assert api.post("/v1/holds", json={"kind": "lot", "target": lot, "policy": "block",
                                       "reason": "suspected seal defect"}).status_code == 201
    move = b.ship([serials[1]], 0, site=None, destination=1)
    move.update(eventTime=stamp(last + timedelta(minutes=3)), bizLocation={"id": hospital})
    with pytest.raises(HeldItems):
        write_document(db, parse_document(b.document([move]), "blocked"))

    # 3. the investigation (issue 14 section 1) found the lot; the campaign links it
    db.write("test/create_investigation", id="INV-E2E")
    created = api.post("/v1/recalls", json={
        "starts": [{"kind": "lot", "id": lot}], "classification": "I", "type": "removal", "depth": "user",
        "reason": "seal defect", "health_hazard": "leak", "investigation_id": "INV-E2E"})
    assert created.status_code == 201, created.text
    cid = created.json()["id"]
    assert (created.json()["scope_serials"], created.json()["investigation_id"]) == (len(serials), "INV-E2E")

    # 4. every notice lists exactly the oracle's serials
    owners = {s: a[TG + "owner"] for s, a in sites.items() if a.get(TG + "owner")}
    notices = {n["site"]: n for n in api.get(f"/v1/recalls/{cid}/notices").json()}
    assert {s: n["serials"] for s, n in notices.items()} == oracle(events, owners, firm, serials, "user")
    assert notices, "the lot reached no consignee: pick another seed"

    # 5. notify; a partner acknowledges its own notice, not another's
    assert api.post(f"/v1/recalls/{cid}/notify").json()["issued"] == len(notices)
    site, first = min(notices.items())
    partner = client_as("partner", party=first["party"])
    assert partner.post(f"/v1/recalls/{cid}/acknowledgements",
                        json={"site": site, "units_on_hand": first["quantity"]}).status_code == 200
    foreign = [s for s, n in notices.items() if n["party"] != first["party"]]
    if foreign:
        assert partner.post(f"/v1/recalls/{cid}/acknowledgements", json={"site": foreign[0]}).status_code == 404

    # 6. returns through the API and as EPCIS events move the figures
    units = sorted({e for n in notices.values() for e in n["serials"]})
    st0 = api.get(f"/v1/recalls/{cid}/status").json()
    assert (st0["units_in_scope"], st0["units_outstanding"], st0["consignees_responded"]) == \
        (len(units), len(units), 1)
    api.post(f"/v1/recalls/{cid}/returns", json={"units": [{"serial": units[0], "disposition": "corrected"}]})
    gone = b.decommission([units[-1]], 0, site=None)
    gone.update(eventTime=stamp(last + timedelta(minutes=4)), bizLocation={"id": hospital})
    write_document(db, parse_document(b.document([gone]), "destroyed"))
    st1 = api.get(f"/v1/recalls/{cid}/status").json()
    assert (st1["units_corrected"], st1["units_destroyed"], st1["units_outstanding"]) == \
        (1, 1 if len(units) > 1 else 0, len(units) - min(len(units), 2))

    # 7. termination is refused while units are outstanding, listing them
    refused = api.post(f"/v1/recalls/{cid}/close", json={"signature": {"password": PASSWORD, "meaning": "approved"}})
    left = [o["serial"] for o in refused.json().get("outstanding", [])]
    assert (len(units) >= 3, refused.status_code, left) == (True, 409, units[1:-1])
    api.post(f"/v1/recalls/{cid}/returns", json={"units": [
        {"serial": s, "disposition": "justified", "note": "implanted; patients followed up"} for s in units]})

    # 8. ... and signed once everything is accounted for; the audit chain verifies
    unsigned = api.post(f"/v1/recalls/{cid}/close", json={})
    closed = api.post(f"/v1/recalls/{cid}/close", json={"signature": {"password": PASSWORD, "meaning": "approved"}})
    assert (unsigned.status_code, closed.status_code, closed.json()["state"]) == (422, 200, "terminated")
    signed = [r for r in db.read("test/audit_actions") if r["action"] == "recall.campaign.terminate"]
    report = client_as("auditor").get("/v1/audit/verify").json()
    assert ([r["signer"] for r in signed], report["ok"]) == (["e2e-manager"], True)
