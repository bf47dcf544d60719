"""The scenario of tests/scenario.py with owners for its sites: who may see what."""
from loaders.epcis.document import parse_document
from tests import scenario as s
from tests.epcis import document
from tracegraph.capture.writer import write_document

MFR, DIST, HOSP, OTHER = (f"urn:epc:id:pgln:0614141.0000{n}" for n in (1, 3, 4, 9))
PARTY = "urn:epcglobal:epcis:vtype:Party"
SITE = "urn:epcglobal:epcis:vtype:BusinessLocation"
NAME, OWNER = "urn:epcglobal:cbv:mda#name", "https://tracegraph.dev/mda#owner"


def party(epc: str, name: str) -> dict:
    return {"id": epc, "attributes": [{"id": NAME, "attribute": name}]}


def site(epc: str, owner: str) -> dict:
    return {"id": epc, "attributes": [{"id": OWNER, "attribute": owner}]}


def master() -> list[dict]:
    return [
        {"type": PARTY, "vocabularyElementList": [party(MFR, "Acme Medical"), party(DIST, "Dist Co"),
                                                  party(HOSP, "St. Elsewhere"), party(OTHER, "Other Co")]},
        {"type": SITE, "vocabularyElementList": [site(s.SITE[1], MFR), site(s.SITE[2], MFR),
                                                 site(s.SITE[3], DIST), site(s.SITE[4], HOSP)]},
        {"type": "urn:epcglobal:epcis:vtype:EPCClass", "vocabularyElementList": [
            {"id": "urn:epc:idpat:sgtin:0614141.812345.*", "attributes": [
                {"id": NAME, "attribute": "Infusion pump"},
                {"id": "https://tracegraph.dev/mda#manufacturer", "attribute": MFR}]}]},
    ]


def load(db) -> None:
    write_document(db, parse_document(document(s.events(), master()), "partners"))
