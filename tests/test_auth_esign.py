"""Electronic signatures: re-authentication, stated meaning, bound into the signed audit record."""
import pytest

from tracegraph.audit import service as audit
from tracegraph.security import esign
from tracegraph.security import service as security
from tracegraph.security.esign import Signature, SignatureRejected, SignatureRequired
from tracegraph.security.models import NewUser, Principal

PASSWORD = "correct horse battery staple"


@pytest.fixture
def signer(db):
    security.create_user(db, NewUser(name="qa", roles=["quality"], display_name="Q. A. Lead", password=PASSWORD),
                         actor="t")
    return Principal(id="qa", roles=frozenset({"quality"}))


def test_correct_password_gives_name_meaning_and_time(db, signer):
    sig = esign.check(db, signer, Signature(password=PASSWORD, meaning="approved"))
    assert (sig["signer"], sig["name"], sig["meaning"], sig["time"].endswith("Z")) == \
        ("qa", "Q. A. Lead", "approved", True)


def test_wrong_password_is_rejected(db, signer):
    with pytest.raises(SignatureRejected):
        esign.check(db, signer, Signature(password="not it at all", meaning="approved"))


def test_missing_signature_is_required(db, signer):
    with pytest.raises(SignatureRequired):
        esign.check(db, signer, None)


def test_user_without_a_password_cannot_sign(db):
    security.create_user(db, NewUser(name="nopw", roles=["quality"]), actor="t")
    with pytest.raises(SignatureRejected):
        esign.check(db, Principal(id="nopw", roles=frozenset({"quality"})), Signature(password="x", meaning="reviewed"))


def test_token_principal_without_local_user_cannot_sign(db):
    with pytest.raises(SignatureRejected):
        esign.check(db, Principal(id="jwt:alice", roles=frozenset({"quality"}), via="jwt"),
                    Signature(password=PASSWORD, meaning="approved"))


def test_disabled_user_cannot_sign(db, signer):
    security.update_user(db, "qa", "t", disabled=True)
    with pytest.raises(SignatureRejected):
        esign.check(db, signer, Signature(password=PASSWORD, meaning="approved"))


def test_meaning_must_be_one_of_the_three():
    with pytest.raises(ValueError):
        Signature(password="x", meaning="whatever")


def test_signature_is_bound_into_the_signed_record(db, signer):
    sig = esign.check(db, signer, Signature(password=PASSWORD, meaning="responsible"))
    rec = db.write_tx(lambda tx: audit.record(tx, actor="qa", action="hold.release", subject="hold:1",
                                              reason="ok", esignature=sig))
    stored = db.read("audit/tamper/record", seq=rec["seq"])[0]["record"]
    assert (stored["esign_signer"], stored["esign_name"], stored["esign_meaning"], stored["esign_time"]) == \
        ("qa", "Q. A. Lead", "responsible", sig["time"])


def test_changing_the_meaning_afterwards_is_detected(db, signer):
    sig = esign.check(db, signer, Signature(password=PASSWORD, meaning="reviewed"))
    rec = db.write_tx(lambda tx: audit.record(tx, actor="qa", action="alert.close", subject="alert:1",
                                              esignature=sig))
    db.write("audit/tamper/set", seq=rec["seq"], props={"esign_meaning": "approved"})
    report = audit.verify(db)
    assert (report.ok, report.first_bad, report.kind) == (False, rec["seq"], "altered")


# --- through the API: hold release and alert closure ----------------------------------

@pytest.fixture
def signing(db):
    """An app that requires e-signatures, an admin client and a client for the signer `qa`."""
    from fastapi.testclient import TestClient

    from api.main import create_app
    from tests.conftest import issue_key
    with TestClient(create_app(db.settings)) as admin:
        admin.headers["Authorization"] = f"Bearer {issue_key(db, 'esign-admin', ['admin'])}"
        qa = TestClient(admin.app)
        qa.headers["Authorization"] = f"Bearer {issue_key(db, 'qa', ['quality'], password=PASSWORD)}"
        yield admin, qa


@pytest.fixture
def hold(signing):
    from tests import partners
    from tests import scenario as s
    admin, _ = signing
    partners.load(admin.app.state.db)
    return admin.post("/v1/holds", json={"kind": "lot", "target": s.FG1, "reason": "suspect"}).json()["id"]


def test_hold_release_without_signature_is_refused(signing, hold):
    _, qa = signing
    response = qa.post(f"/v1/holds/{hold}/release", json={"reason": "retested"})
    assert (response.status_code, response.json()["type"]) == \
        (422, "https://tracegraph.dev/problems/signature-required")


def test_hold_release_with_a_wrong_password_is_refused_and_the_hold_stays(signing, hold):
    admin, qa = signing
    response = qa.post(f"/v1/holds/{hold}/release",
                       json={"reason": "retested", "signature": {"password": "guess", "meaning": "approved"}})
    assert (response.status_code, admin.get(f"/v1/holds/{hold}").json()["state"]) == (403, "active")


def test_signed_hold_release_binds_the_signature_into_the_audit_record(signing, hold):
    admin, qa = signing
    response = qa.post(f"/v1/holds/{hold}/release",
                       json={"reason": "retested", "signature": {"password": PASSWORD, "meaning": "approved"}})
    record = admin.get("/v1/audit", params={"action": "hold.release"}).json()[-1]
    assert (response.status_code, record["subject"], record["esign_signer"], record["esign_meaning"]) == \
        (200, hold, "qa", "approved")


def test_alert_closure_needs_a_signature_but_other_steps_do_not(signing):
    from tests.test_alerts import orphan_receipt
    from tests.test_rules_support import load
    admin, qa = signing
    load(admin.app.state.db, orphan_receipt())
    alert = admin.get("/v1/alerts").json()["alerts"][0]["id"]
    step = qa.post(f"/v1/alerts/{alert}/transitions", json={"to": "acknowledged", "reason": "mine"})
    unsigned = qa.post(f"/v1/alerts/{alert}/transitions", json={"to": "false_positive", "reason": "test data"})
    signed = qa.post(f"/v1/alerts/{alert}/transitions", json={
        "to": "false_positive", "reason": "test data", "signature": {"password": PASSWORD, "meaning": "reviewed"}})
    record = admin.get("/v1/audit", params={"subject": alert, "action": "alert.false_positive"}).json()
    assert (step.status_code, unsigned.status_code, signed.status_code, record[0]["esign_meaning"]) == \
        (200, 422, 200, "reviewed")
