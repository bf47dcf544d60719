"""The data-quality policy file (YAML or TOML) and the API that shows it."""
from pathlib import Path

import pytest

from tracegraph.quality import policy as policies
from tracegraph.quality import service as quality
from tracegraph.quality.enums import Action, Rule
from tracegraph.quality.errors import InvalidPolicy

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "quality_policy.yaml"


def test_default_policy_is_valid_and_rejects_binding_conflicts():
    assert policies.load().action(Rule.SERIAL_LOT_BINDING) == Action.REJECT


def test_example_policy_is_valid():
    assert policies.load(EXAMPLE).for_product("00614141200139").required_ilmd == ["lot", "expiry"]


def test_product_settings_fall_back_to_defaults_field_by_field():
    merged = policies.load(EXAMPLE).for_product("00614141200139")
    assert merged.allowed_biz_steps["hospital"][0] == "receiving"


def test_toml_policy(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text('[checks]\nserial_format = "flag"\n\n[products."00614141200139".serial_format]\n'
                    'charset = "digits"\nmax_length = 8\n')
    loaded = policies.load(path)
    assert (loaded.action(Rule.SERIAL_FORMAT), loaded.for_product("00614141200139").serial_format.max_length) == \
        (Action.FLAG, 8)


@pytest.mark.parametrize("text, where", [
    ("checks: {serial_format: maybe}", "checks.serial_format"),
    ("checks: {no_such_check: reject}", "checks.no_such_check"),
    ("products: {'123': {}}", "products"),
    ("defaults: {serial_format: {regex: '('}}", "defaults.serial_format.regex"),
    ("defaults: {required_ilmd: [colour]}", "defaults.required_ilmd"),
    # beyond what a datetime can add: every capture failed on it (OverflowError)
    ("future_tolerance_seconds: 100000000000000", "future_tolerance_seconds"),
])
def test_invalid_policy_names_the_field(tmp_path, text, where):
    path = tmp_path / "policy.yaml"
    path.write_text(text)
    with pytest.raises(InvalidPolicy) as err:
        policies.load(path)
    assert err.value.field.startswith(where)


def test_unreadable_policy_file(tmp_path):
    with pytest.raises(InvalidPolicy):
        policies.load(tmp_path / "missing.yaml")


def test_api_shows_the_policy_in_force(client):
    with quality.using(EXAMPLE):
        body = client.get("/v1/quality/policy").json()
    assert body["checks"]["duplicate_commissioning"] == "reject"


def test_api_shows_one_products_effective_settings(client):
    with quality.using(EXAMPLE):
        body = client.get("/v1/quality/policy/products/00614141200139").json()
    assert (body["required_ilmd"], body["serial_format"]["charset"]) == (["lot", "expiry"], "alnum_upper")


def test_api_refuses_a_malformed_gtin(client):
    assert client.get("/v1/quality/policy/products/123").status_code == 422


def test_api_lists_findings_by_rule(client):
    from tests.epcis import sgtin
    from tests.test_quality import commission, load
    db = client.app.state.db
    load(db, [commission([sgtin("S1")], 0, lot="A")])
    load(db, [commission([sgtin("S1")], 5, lot="A")])
    body = client.get("/v1/quality/findings", params={"rule": "duplicate_commissioning", "open": True}).json()
    assert [(f["rule"], f["subject"], f["open"]) for f in body] == \
        [("duplicate_commissioning", sgtin("S1"), True)]


def test_api_refuses_an_unknown_rule(client):
    response = client.get("/v1/quality/findings", params={"rule": "nonsense"})
    assert (response.status_code, response.json()["field"]) == (422, "rule")
