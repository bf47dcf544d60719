"""Recall scope with master data: supplier (party) starts, where serials are by site
type, consignees with name/address/contact, aggregations by region, channel, customer."""
import pytest

from loaders.epcis.document import parse_document
from tests import epcis as b
from tracegraph.capture.writer import write_document
from tracegraph.recalls import service
from tracegraph.recalls.models import ScopeRequest

CBV, TG = "urn:epcglobal:cbv:mda#", "https://tracegraph.dev/mda#"
SUPPLIER, MAKER = "urn:epc:id:pgln:0614141.00010", "urn:epc:id:pgln:0614141.00011"
HOSPITAL, DISTRIBUTOR = "urn:epc:id:pgln:0614141.00012", "urn:epc:id:pgln:0614141.00013"
RAW = b.lgtin("RAW")
D = [b.sgtin(f"M{i}") for i in range(4)]


def _attrs(**kw):
    return [{"id": k, "attribute": v} for k, v in kw.items()]


def master():
    def party(epc, name, role, channel, region):
        return {"id": epc, "attributes": _attrs(**{CBV + "name": name, TG + "role": role, TG + "channel": channel,
                                                   TG + "region": region, TG + "contact": f"recalls@{name}.example"})}

    def site(n, owner, kind, name):
        return {"id": b.sgln(n), "attributes": _attrs(**{CBV + "name": name, TG + "siteType": kind, TG + "owner": owner,
                                                         CBV + "streetAddressOne": f"{n} Main St",
                                                         CBV + "city": "Galway", CBV + "countryCode": "IE",
                                                         TG + "region": "EMEA"})}
    return [{"type": "urn:epcglobal:epcis:vtype:Party", "vocabularyElementList": [
                party(SUPPLIER, "Supplier", "supplier", "supply", "EMEA"),
                party(MAKER, "Maker", "manufacturer", "own", "EMEA"),
                party(HOSPITAL, "Hospital", "hospital", "direct", "EMEA"),
                party(DISTRIBUTOR, "Distributor", "distributor", "wholesale", "EMEA")]},
            {"type": "urn:epcglobal:epcis:vtype:BusinessLocation", "vocabularyElementList": [
                site(1, SUPPLIER, "supplier", "Supplier plant"), site(2, MAKER, "factory", "Factory"),
                site(3, DISTRIBUTOR, "distributor", "Distributor DC"), site(4, HOSPITAL, "hospital", "Hospital")]}]


@pytest.fixture
def loaded(db):
    events = [b.commission_lot(RAW, 0, site=1),
              b.transform(1, input_lots=[RAW], outputs=D, lot_number="FGM", site=2),
              b.ship(D[:3], 2, site=2, destination=3), b.receive(D[:3], 3, site=3),
              b.ship(D[1:3], 4, site=3, destination=4), b.receive(D[1:3], 5, site=4),
              b.decommission([D[2]], 6, site=4)]
    write_document(db, parse_document(b.document(events, master()), "master"))
    return service.scope(db, ScopeRequest(starts=[{"kind": "party", "id": SUPPLIER}]))


def test_supplier_start_reaches_what_its_lots_went_into(loaded):
    assert [r.epc for r in loaded.serials] == sorted(D)


def test_status_buckets_follow_site_types(loaded):
    assert {r.epc: r.status.value for r in loaded.serials} == {
        D[0]: "at_distributor", D[1]: "at_hospital", D[2]: "used_decommissioned", D[3]: "in_stock"}


def test_custodian_is_the_party_operating_the_current_site(loaded):
    assert {r.epc: r.custodian_name for r in loaded.serials}[D[1]] == "Hospital"


def test_consignees_carry_master_data(loaded):
    people = {c.party_name: (c.quantity, c.address, c.contact, c.channel) for c in loaded.consignees}
    assert people == {"Distributor": (3, "3 Main St, Galway", "recalls@Distributor.example", "wholesale"),
                      "Hospital": (2, "4 Main St, Galway", "recalls@Hospital.example", "direct")}


def test_aggregations(loaded):
    a = loaded.aggregations
    assert (a.by_region, a.by_channel, a.by_customer) == (
        {"EMEA": 4}, {"wholesale": 1, "direct": 2, "own": 1}, {"Distributor": 1, "Hospital": 2})
