"""The audit trail: hash-chained, Ed25519-signed records; tampering is found and named."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tracegraph.audit import service as audit
from tracegraph.audit import signing
from tracegraph.security import service as security
from tracegraph.security.models import NewUser

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def chain(db):
    """Six records: users made and changed."""
    for n in range(3):
        security.create_user(db, NewUser(name=f"u{n}", roles=["auditor"]), actor="tester")
        security.update_user(db, f"u{n}", "tester", disabled=True)
    return db


def cli_verify(db) -> subprocess.CompletedProcess:
    env = dict(os.environ, TRACEGRAPH_NEO4J_URI=db.settings.neo4j_uri,
               TRACEGRAPH_NEO4J_PASSWORD=db.settings.neo4j_password,
               TRACEGRAPH_AUDIT_KEY_PATH=str(audit._key_path.resolve()))
    return subprocess.run([sys.executable, "-c", "from tracegraph.cli import main; main()", "audit", "verify"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def stored(db, seq: int) -> dict:
    return db.read("audit/tamper/record", seq=seq)[0]["record"]


def test_writes_make_a_verifiable_chain(chain):
    report = audit.verify(chain)
    assert (report.ok, report.checked) == (True, 6)


def test_each_record_links_to_the_one_before(chain):
    assert [stored(chain, n)["prev_hash"] for n in (2, 3)] == [stored(chain, n)["hash"] for n in (1, 2)]


def test_record_holds_actor_action_subject_and_digests(chain):
    rec = stored(chain, 2)
    assert (rec["actor"], rec["action"], rec["subject"], len(rec["before_digest"]), len(rec["after_digest"])) == \
        ("tester", "user.update", "user:u0", 64, 64)


def test_signature_checks_with_the_server_public_key(chain):
    rec = stored(chain, 1)
    assert signing.valid(audit._key().public_key(), rec["signature"], rec["hash"])


def test_key_file_is_private(chain):
    assert audit._key_path.resolve().stat().st_mode & 0o777 == 0o600


def test_api_write_records_the_request_id(client):
    client.post("/v1/users", json={"name": "rid", "roles": ["auditor"]}, headers={"X-Request-ID": "req-42"})
    records = client.get("/v1/audit", params={"subject": "user:rid"}).json()
    assert [(r["action"], r["request_id"], r["actor"]) for r in records] == [("user.create", "req-42", "test-admin")]


def test_list_filters_by_actor_and_time(client):
    client.post("/v1/users", json={"name": "t1", "roles": ["auditor"]})
    every = client.get("/v1/audit").json()
    mine = client.get("/v1/audit", params={"actor": "test-admin"}).json()
    later = client.get("/v1/audit", params={"from": every[-1]["time"]}).json()
    assert ([r["subject"] for r in mine], [r["seq"] for r in later]) == (["user:t1"], [every[-1]["seq"]])


def test_export_is_json_lines_with_the_chain(client):
    client.post("/v1/users", json={"name": "t2", "roles": ["auditor"]})
    response = client.get("/v1/audit/export")
    lines = [json.loads(x) for x in response.text.splitlines()]
    assert [x["prev_hash"] for x in lines[1:]] == [x["hash"] for x in lines[:-1]]


def test_export_carries_the_public_key(client):
    assert client.get("/v1/audit/export").headers["x-audit-public-key"] == audit.public_key_hex()


def test_failed_write_leaves_no_record(chain):
    with pytest.raises(Exception):
        security.create_user(chain, NewUser(name="u0", roles=["auditor"]), actor="tester")
    assert audit.verify(chain).checked == 6


# --- tampering, straight in the database -----------------------------------------------

def forged(db, source: int, **changes) -> dict:
    rec = dict(stored(db, source), **changes)
    rec["hash"] = audit.record_hash(rec)
    return rec


TAMPER = {
    "edited": (lambda db: db.write("audit/tamper/edit", seq=3, value="user:mallory"), 3, "altered"),
    "deleted": (lambda db: db.write("audit/tamper/delete", seq=3), 3, "missing"),
    "deleted-last": (lambda db: db.write("audit/tamper/delete", seq=6), 6, "missing"),
    "inserted": (lambda db: db.write("audit/tamper/insert", props=dict(stored(db, 3), seq=3.5)), 3.5, "inserted"),
    "appended-forged": (lambda db: db.write("audit/tamper/insert", props=forged(
        db, 6, seq=7, prev_hash=stored(db, 6)["hash"], subject="user:mallory")), 7, "bad-signature"),
    "reordered": (lambda db: db.write("audit/tamper/swap", a=2, b=4), 2, "broken-link"),
}


@pytest.mark.parametrize("how", ["edited", "deleted", "deleted-last", "inserted", "appended-forged", "reordered"])
def test_tampering_is_found_and_the_first_bad_record_named(chain, how):
    tamper, first_bad, kind = TAMPER[how]
    tamper(chain)
    report = audit.verify(chain)
    assert (report.ok, report.first_bad, report.kind) == (False, first_bad, kind)


def test_rehashed_record_fails_its_signature(chain):
    rec = forged(chain, 4, subject="user:mallory")
    chain.write("audit/tamper/delete", seq=4)
    chain.write("audit/tamper/insert", props=rec)
    report = audit.verify(chain)
    assert (report.first_bad, report.kind) == (4, "bad-signature")


def test_api_names_the_first_bad_record(client):
    client.post("/v1/users", json={"name": "t3", "roles": ["auditor"]})
    client.app.state.db.write("audit/tamper/edit", seq=2, value="user:nobody")
    body = client.get("/v1/audit/verify").json()
    assert (body["ok"], body["first_bad"], body["kind"]) == (False, 2, "altered")


def test_cli_verify_names_the_first_bad_record(chain):
    chain.write("audit/tamper/delete", seq=2)
    result = cli_verify(chain)
    assert (result.returncode, "record 2" in result.stderr, "missing" in result.stderr) == (1, True, True)


def test_cli_verify_passes_an_intact_chain(chain):
    result = cli_verify(chain)
    assert (result.returncode, result.stdout.startswith("ok: 6 records")) == (0, True)
