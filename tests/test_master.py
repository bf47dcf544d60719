"""Versioned master data: PUT/GET /v1/master/{products,parties,sites,relationships},
EPCIS header master data and files. A change adds a version; history is never rewritten."""
from pathlib import Path

import pytest

from loaders.epcis.document import parse_document
from tests.epcis import document, observe, sgln, sgtin
from tracegraph.capture.writer import write_document
from tracegraph.master import service
from tracegraph.master.errors import InvalidMasterData

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
GTIN = "00614141200139"
MAKER, HOSPITAL = "urn:epc:id:pgln:0614141.00000", "urn:epc:id:pgln:7896051.00000"
PROBLEM = "application/problem+json"


def product(**kw):
    return {"gtin": GTIN, "name": "Pacemaker MH", "device_class": "III", **kw}


def test_put_then_get_products(client):
    client.put("/v1/master/products", json=[product()])
    body = client.get("/v1/master/products").json()
    assert [(p["record"]["gtin"], p["record"]["name"], p["versions"]) for p in body] == [(GTIN, "Pacemaker MH", 1)]


def test_same_put_again_adds_no_version(client):
    client.put("/v1/master/products", json=[product()])
    again = client.put("/v1/master/products", json=[product()]).json()
    assert (again["changed"], again["unchanged"]) == (0, 1)


def test_a_change_keeps_the_old_version(client):
    client.put("/v1/master/products", json=[product()])
    client.put("/v1/master/products", json=[product(name="Pacemaker MH2")])
    history = client.get(f"/v1/master/products/{GTIN}/history").json()
    assert [(v["record"]["name"], v["valid_to"] is None) for v in history] == \
        [("Pacemaker MH", False), ("Pacemaker MH2", True)]


def test_versions_are_contiguous(client):
    for name in ("A", "B", "C"):
        client.put("/v1/master/products", json=[product(name=name)])
    history = client.get(f"/v1/master/products/{GTIN}/history").json()
    assert [v["valid_to"] for v in history[:-1]] == [v["valid_from"] for v in history[1:]]


def test_as_of_view_shows_the_version_then(client):
    client.put("/v1/master/products", json=[product()])
    first = client.get(f"/v1/master/products/{GTIN}/history").json()[0]["valid_from"]
    client.put("/v1/master/products", json=[product(name="Renamed")])
    body = client.get("/v1/master/products", params={"at": first}).json()
    assert [p["record"]["name"] for p in body] == ["Pacemaker MH"]


def test_null_removes_a_field_in_a_new_version(client):
    client.put("/v1/master/products", json=[product()])
    client.put("/v1/master/products", json=[product(device_class=None)])
    history = client.get(f"/v1/master/products/{GTIN}/history").json()
    assert [v["record"].get("device_class") for v in history] == ["III", None]


def test_parties_and_sites_with_owner(client):
    client.put("/v1/master/parties", json=[{"epc": MAKER, "name": "Meridian", "channel": "own", "region": "NA"}])
    client.put("/v1/master/sites", json=[{"epc": sgln(101), "name": "Plant", "site_type": "factory",
                                          "owner": "(417)0614141000005"}])
    assert client.app.state.db.read("master/site_owner", epc=sgln(101)) == [{"owner": MAKER}]


def test_site_owner_change_is_versioned(client):
    client.put("/v1/master/sites", json=[{"epc": sgln(101), "owner": MAKER}])
    client.put("/v1/master/sites", json=[{"epc": sgln(101), "owner": HOSPITAL}])
    history = client.get(f"/v1/master/sites/{sgln(101)}/history").json()
    assert [v["record"]["owner"] for v in history] == [MAKER, HOSPITAL]


@pytest.mark.parametrize("path, record, field", [
    ("products", {"gtin": "00614141200136"}, "0.gtin"),
    ("products", {"gtin": "006141412001399"}, "0.gtin"),
    ("products", {"gtin": GTIN, "serial_format": "("}, "0.serial_format"),
    ("products", {"gtin": GTIN, "colour": "red"}, "0.colour"),
    ("parties", {"epc": MAKER, "country_code": "usa"}, "0.country_code"),
])
def test_bad_records_are_problems_naming_the_field(client, path, record, field):
    response = client.put(f"/v1/master/{path}", json=[record])
    assert (response.status_code, response.headers["content-type"], response.json()["field"]) == \
        (422, PROBLEM, field)


def test_a_site_named_by_a_party_identifier_is_refused(client):
    response = client.put("/v1/master/sites", json=[{"epc": MAKER}])
    assert (response.status_code, response.json()["field"]) == (422, "sites[0].epc")


def test_a_refused_put_writes_nothing(client):
    client.put("/v1/master/parties", json=[{"epc": MAKER, "name": "ok"}, {"epc": sgln(1)}])
    assert client.get("/v1/master/parties").json() == []


def test_history_of_unknown_record_is_404(client):
    assert client.get("/v1/master/products/00614141200139/history").status_code == 404


def test_writes_are_audited_in_the_transaction(client, monkeypatch):
    calls = []
    monkeypatch.setattr(service.audit, "record", lambda tx, **kw: calls.append((kw["action"], kw["subject"])))
    client.put("/v1/master/products", json=[product()])
    client.put("/v1/master/products", json=[product()])
    assert calls == [("master.products.put", GTIN)]


def _relationship(**kw):
    return {"from_party": MAKER, "to_party": HOSPITAL, "products": [GTIN], "channel": "direct",
            "valid_from": "2024-01-01T00:00:00Z", **kw}


def test_authorized_relationship_round_trip(client):
    client.put("/v1/master/relationships", json=[_relationship()])
    body = client.get("/v1/master/relationships", params={"party": HOSPITAL}).json()
    assert [(r["from_party"], r["to_party"], r["products"], r["channel"]) for r in body] == \
        [(MAKER, HOSPITAL, [GTIN], "direct")]


def test_changing_a_relationship_supersedes_it(client):
    client.put("/v1/master/relationships", json=[_relationship()])
    client.put("/v1/master/relationships", json=[_relationship(products=["*"], valid_from="2025-01-01T00:00:00Z")])
    now = client.get("/v1/master/relationships").json()
    then = client.get("/v1/master/relationships", params={"at": "2024-06-01T00:00:00Z", "history": True}).json()
    assert ([r["products"] for r in now], [r["products"] for r in then]) == ([["*"]], [[GTIN]])


def test_identical_relationship_put_is_a_no_op(client):
    client.put("/v1/master/relationships", json=[_relationship()])
    again = client.put("/v1/master/relationships", json=[_relationship()]).json()
    assert (again["changed"], len(client.get("/v1/master/relationships", params={"history": True}).json())) == (0, 1)


def test_relationship_with_bad_interval_is_refused(client):
    response = client.put("/v1/master/relationships", json=[_relationship(valid_to="2023-01-01T00:00:00Z")])
    assert response.status_code == 422


def test_relationship_products_must_be_gtins_or_star(client):
    response = client.put("/v1/master/relationships", json=[_relationship(products=["*", GTIN])])
    assert response.status_code == 422


def _site_doc(name: str) -> dict:
    master = [{"type": "urn:epcglobal:epcis:vtype:BusinessLocation", "vocabularyElementList": [
        {"id": sgln(7), "attributes": [{"id": "urn:epcglobal:cbv:mda#name", "attribute": name}]}]}]
    return document([observe([sgtin(name)], 0, 7)], master)


def test_epcis_header_master_data_is_versioned(db):
    for name in ("Old", "Old", "New"):
        write_document(db, parse_document(_site_doc(name), name))
    assert [v.record["name"] for v in service.history(db, "sites", sgln(7))] == ["Old", "New"]


def test_example_master_data_file_loads_and_reloads_unchanged(db):
    batches = service.read_file(EXAMPLES / "master_data.yaml")
    first, second = service.put(db, batches), service.put(db, batches)
    assert (first.changed, second.changed, second.unchanged) == (7, 0, 7)


def test_csv_master_data_file(db, tmp_path):
    path = tmp_path / "relationships.csv"
    path.write_text(f"from_party,to_party,products,channel,valid_from\n"
                    f"{MAKER},{HOSPITAL},{GTIN}|00614141200320,direct,2024-01-01T00:00:00Z\n")
    service.put(db, service.read_file(path, "relationships"))
    assert service.relationships(db)[0].products == [GTIN, "00614141200320"]


def test_csv_master_data_needs_a_kind(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("gtin\n00614141200139\n")
    with pytest.raises(InvalidMasterData):
        service.read_file(path)
