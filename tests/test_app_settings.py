"""create_app(settings) governs what the domain takes from settings: the quality policy, the
rules configuration, the XML limits and the EPCIS JSON Schema. No environment variable is set
here: an app built with other settings must behave by them (issue 17: settings are passed in, not read deep inside)."""
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from tests import scenario as s
from tests.conformance import conformance_path
from tests.conftest import issue_key
from tests.epcis import document

EXAMPLE_POLICY = Path(__file__).resolve().parents[1] / "examples" / "quality_policy.yaml"
XML = {"Content-Type": "application/xml"}


@pytest.fixture
def app_with(db):
    """`app_with(**settings)`: a client of an app made with the test settings changed so."""
    clients = []

    def make(**changes) -> TestClient:
        settings = db.settings.model_copy(update={"esign_required": False, **changes})
        client = TestClient(create_app(settings)).__enter__()
        clients.append(client)
        client.headers["Authorization"] = f"Bearer {issue_key(db, f'settings-admin-{len(clients)}', ['admin'])}"
        return client
    yield make
    for client in clients:
        client.__exit__(None, None, None)


def _duplicate_commissioning(client) -> str:
    return client.get("/v1/quality/policy").json()["checks"]["duplicate_commissioning"]


def test_the_apps_quality_policy_is_in_force(app_with):
    # the example policy rejects what the packaged one only flags
    assert (_duplicate_commissioning(app_with(quality_policy=EXAMPLE_POLICY)),
            _duplicate_commissioning(app_with())) == ("reject", "flag")


def test_the_apps_rules_configuration_is_in_force(app_with, tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  TWO_PLACES:\n    enabled: false\n")

    def enabled(client) -> bool:
        return {r["code"]: r["enabled"] for r in client.get("/v1/rules").json()["rules"]}["TWO_PLACES"]
    assert (enabled(app_with(rules_config=path)), enabled(app_with())) == (False, True)


def test_the_apps_xml_element_order_setting_governs_capture(app_with):
    body = conformance_path("epcis-openepcis", "XML", "Capture", "Invalid",
                            "ObjectEvent_with_wrong_element_order.xml").read_bytes()
    strict = app_with(xml_strict_order=True).post("/epcis/capture", content=body, headers=XML)
    lenient = app_with().post("/epcis/capture", content=body, headers=XML)
    assert (strict.status_code, lenient.status_code) == (400, 202)


def test_the_apps_epcis_schema_setting_governs_capture(app_with, tmp_path):
    events = s.events()
    events[2]["bizStep"] = "teleporting"  # only the JSON Schema says no: neither a CBV word nor a URI
    body = json.dumps(document(events))

    def schema_refused(client) -> bool:
        answer = client.post("/epcis/capture", content=body, headers={"Content-Type": "application/json"})
        return "JSON Schema" in answer.text
    # a schema file that is not there: the app checks with its own models only
    assert (schema_refused(app_with(epcis_schema=tmp_path / "absent.json")), schema_refused(app_with())) == \
        (False, True)
