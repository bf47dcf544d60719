"""Holds: block refuses shipping of held stock (nothing written), flag lets it through and
raises SHIP_ON_HOLD; scope covers container contents and, when asked, derived items."""
import pytest

from core.identifiers import parse_epc_urn
from tests.epcis import (
    commission_lot,
    document,
    lgtin,
    pack,
    sgln,
    sgtin,
    ship,
    sscc,
    transform,
)
from tests.test_rules_support import load
from tracegraph.alerts import service as alerts
from tracegraph.holds import service as holds
from tracegraph.holds.models import HoldRequest
from tracegraph.holds.service import HeldItems

LOT_A, FG = lgtin("A"), lgtin("FG", "812345")
D1, D2, D3 = sgtin("D1"), sgtin("D2"), sgtin("D3")
CASE = sscc(1)


def history():
    return [commission_lot(LOT_A, 0),
            transform(5, input_lots=[LOT_A], outputs=[D1, D2], lot_number="FG", site=1),
            transform(6, input_lots=[lgtin("OTHER")], outputs=[D3], lot_number="FG2", site=1),
            pack(CASE, [D1, D2], 10, site=1)]


def hold(db, kind, target, policy="block", derived=False):
    return holds.create(db, HoldRequest(kind=kind, target=target, reason="suspect sterilization", policy=policy,
                                        derived=derived), principal="qa-lead")


def stored(db, event_id) -> bool:
    return any(r["event_id"] == event_id for r in db.read("test/event_ids"))


def test_block_hold_refuses_the_shipping_document_and_writes_nothing(db):
    load(db, history(), "setup")
    hold(db, "serial", D3)
    shipment = ship([D3], 20, site=1, destination=2)
    with pytest.raises(HeldItems):
        load(db, [ship([D1], 19, site=1, destination=2), shipment], "ship")
    assert not stored(db, shipment["eventID"])


def test_block_refusal_lists_the_held_items(db):
    load(db, history(), "setup")
    h = hold(db, "container", CASE)
    with pytest.raises(HeldItems) as err:
        load(db, [ship([CASE], 20, site=1, destination=2)], "ship")
    assert {(x["epc"], x["hold"]) for x in err.value.extra["held_items"]} == {(CASE, h.id), (D1, h.id), (D2, h.id)}


def test_container_hold_holds_its_contents(db):
    load(db, history(), "setup")
    assert set(hold(db, "container", CASE).held) == {CASE, D1, D2}


def test_lot_hold_without_derived_holds_no_finished_serials(db):
    load(db, history(), "setup")
    assert hold(db, "lot", LOT_A).held == []


def test_lot_hold_with_derived_holds_what_was_made_from_the_lot(db):
    load(db, history(), "setup")
    assert set(hold(db, "lot", LOT_A, derived=True).held) == {D1, D2}


def test_derived_items_of_a_held_lot_cannot_ship(db):
    load(db, history(), "setup")
    hold(db, "lot", LOT_A, derived=True)
    with pytest.raises(HeldItems):
        load(db, [ship([D2], 20, site=1, destination=2)], "ship")


def test_items_packed_in_the_same_document_as_the_shipment_are_caught(db):
    load(db, history(), "setup")
    hold(db, "serial", D3)
    with pytest.raises(HeldItems):
        load(db, [pack(sscc(7), [D3], 15, site=1), ship([sscc(7)], 20, site=1, destination=2)], "ship")


def test_site_hold_blocks_shipping_from_the_site(db):
    load(db, history(), "setup")
    hold(db, "site", sgln(1))
    with pytest.raises(HeldItems):
        load(db, [ship([D3], 20, site=1, destination=2)], "ship")


def test_product_hold_by_gtin_holds_its_serials(db):
    load(db, history(), "setup")
    gtin = parse_epc_urn(D1).gs1_key
    assert set(hold(db, "product", gtin).held) == {D1, D2, D3}


def test_flag_hold_writes_the_shipment_and_opens_ship_on_hold(db):
    load(db, history(), "setup")
    hold(db, "serial", D3, policy="flag")
    shipment = ship([D3], 20, site=1, destination=2)
    load(db, [shipment], "ship")
    opened = alerts.list_alerts(db, rule="SHIP_ON_HOLD", state="open").alerts
    assert [(a.subject, a.events) for a in opened] == [(D3, [shipment["eventID"]])]


def test_released_hold_no_longer_blocks(db):
    load(db, history(), "setup")
    h = hold(db, "serial", D3)
    holds.release(db, h.id, principal="qa-lead", reason="retested: sterile")
    shipment = ship([D3], 20, site=1, destination=2)
    load(db, [shipment], "ship")
    assert stored(db, shipment["eventID"])


def test_hold_for_answers_show_active_holds(db):
    load(db, history(), "setup")
    h = hold(db, "container", CASE)
    assert holds.holds_for(db, [D1, D3]) == {D1: [h.id]}


# API

def test_api_places_lists_and_releases_a_hold(client):
    load(client.app.state.db, history(), "setup")
    created = client.post("/v1/holds", json={"kind": "container", "target": CASE, "reason": "dropped pallet",
                                             "policy": "block"})
    hold_id = created.json()["id"]
    listed = client.get("/v1/holds", params={"subject": D1, "active": True}).json()["holds"]
    released = client.post(f"/v1/holds/{hold_id}/release", json={"reason": "inspected, fine"})
    assert (created.status_code, [h["id"] for h in listed], released.json()["state"], released.json()["released_by"]) \
        == (201, [hold_id], "released", "test-admin")


def test_api_second_release_is_a_409_problem(client):
    load(client.app.state.db, history(), "setup")
    hold_id = client.post("/v1/holds", json={"kind": "serial", "target": D3, "reason": "x"}).json()["id"]
    client.post(f"/v1/holds/{hold_id}/release", json={"reason": "ok"})
    again = client.post(f"/v1/holds/{hold_id}/release", json={"reason": "ok"})
    assert (again.status_code, again.headers["content-type"], again.json()["type"]) == \
        (409, "application/problem+json", "https://tracegraph.dev/problems/hold-released")


@pytest.mark.parametrize("body, status, field", [
    ({"kind": "lot", "target": "urn:epc:class:lgtin:0614141.712345.NOPE", "reason": "x"}, 404, "target"),
    ({"kind": "lot", "target": sgtin("D1"), "reason": "x"}, 422, "target"),
    ({"kind": "product", "target": "00614141812346", "reason": "x"}, 422, "target"),
    ({"kind": "serial", "target": sgtin("D1"), "reason": ""}, 422, "reason"),
    ({"kind": "serial", "target": sgtin("D1"), "reason": "x", "policy": "freeze"}, 422, "policy"),
    ({"kind": "recall_scope", "target": "no-such-scope", "reason": "x"}, 404, "scope_id"),
])
def test_api_bad_hold_requests_name_the_field(client, body, status, field):
    load(client.app.state.db, history(), "setup")
    response = client.post("/v1/holds", json=body)
    assert (response.status_code, response.json().get("field")) == (status, field)


def test_api_holds_a_saved_recall_scope(client):
    load(client.app.state.db, history(), "setup")
    scope = client.post("/v1/recall-scope", json={"starts": [{"kind": "lot", "id": LOT_A}], "save": True}).json()
    created = client.post("/v1/holds", json={"kind": "recall_scope", "target": scope["scope_id"], "reason": "recall"})
    assert set(created.json()["held"]) == {D1, D2}


def test_writer_refusal_maps_to_409_problem_json(client):
    """The capture path raises HeldItems; the API turns it into problem+json with the list."""
    from api.problems import problem
    err = HeldItems("1 held item(s)", field="eventList", held_items=[{"epc": D1, "hold": "h", "event_id": "e"}])
    body = problem(err.status, err.slug, err.title, err.detail, "/v1/capture", field=err.field, **err.extra)
    assert (body.status_code, body.body.count(D1.encode())) == (409, 1)


def test_epcis_capture_of_a_held_shipment_is_refused_with_409(client):
    """Capture is asynchronous (EPCIS 2.0 REST), but a blocked shipment is refused at once:
    409 problem+json listing the held items, no capture job, nothing written."""
    import json
    db = client.app.state.db
    load(db, history(), "setup")
    hold(db, "serial", D3)
    shipment = ship([D3], 20, site=1, destination=2)
    response = client.post("/epcis/capture", content=json.dumps(document([shipment])).encode(),
                           headers={"Content-Type": "application/ld+json"})
    body = response.json()
    assert (response.status_code, body["type"].endswith("held-items"), [x["epc"] for x in body["held_items"]],
            stored(db, shipment["eventID"])) == (409, True, [D3], False)


def test_a_hold_placed_after_acceptance_still_fails_the_job(db):
    """The writer re-checks in its own transaction: a hold placed between the 202 and the
    write stops the document (the job fails with held-items, nothing written)."""
    import json

    from tracegraph.capture.service import CaptureService
    from tracegraph.jobs.worker import Worker
    load(db, history(), "setup")
    shipment = ship([D3], 20, site=1, destination=2)
    service = CaptureService(db)
    job_id = service.submit(json.dumps(document([shipment])).encode(), actor="tester")
    hold(db, "serial", D3)  # before any worker takes the job: the hold lands first
    Worker(db).run_once()
    job = service.job(job_id)
    assert (job.success, job.errors[0].type.endswith("held-items"), stored(db, shipment["eventID"])) == \
        (False, True, False)
