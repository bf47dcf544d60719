"""The audit trail: hash-chained, Ed25519-signed records; tampering is found and named."""
import dataclasses
import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from neo4j.exceptions import ConstraintError

from core.errors import Conflict
from graph import schema
from tracegraph.audit import checkpoints, signing
from tracegraph.audit import service as audit
from tracegraph.audit.errors import AuditKeyMismatch, CheckpointRefused
from tracegraph.security import service as security
from tracegraph.security.models import NewUser

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def own_key(tmp_path, database):
    """This test's own audit key file and checkpoint directory (the attacks below replace them).
    The trail it leaves names this key, so it is emptied afterwards: later writers would refuse it."""
    saved = audit.config()
    audit._config = dataclasses.replace(saved, trusted_key=None)
    audit.use_key_file(tmp_path / "keys" / "audit.pem")
    audit.use_checkpoint_dir(tmp_path / "checkpoints")
    yield tmp_path
    audit._config = saved
    schema.reset(database)


@pytest.fixture
def chain(db, own_key):
    """Six records: users made and changed."""
    for n in range(3):
        security.create_user(db, NewUser(name=f"u{n}", roles=["auditor"]), actor="tester")
        security.update_user(db, f"u{n}", "tester", disabled=True)
    return db


def cli_verify(db, *args: str) -> subprocess.CompletedProcess:
    args = args or ("verify",)
    env = dict(os.environ, TRACEGRAPH_NEO4J_URI=db.settings.neo4j_uri,
               TRACEGRAPH_NEO4J_PASSWORD=db.settings.neo4j_password,
               TRACEGRAPH_AUDIT_KEY_PATH=str(audit._key_path.resolve()),
               TRACEGRAPH_AUDIT_CHECKPOINT_DIR=str(audit.config().checkpoint_dir))
    return subprocess.run([sys.executable, "-c", "from tracegraph.cli import main; main()", "audit", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


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
    with pytest.raises(Conflict):
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


# --- what the database alone could hide (issue 20): checkpoints, pinned keys, rotation ---

def resign(db, key, *, new_key_id: bool, changes: dict | None = None) -> None:
    """Rewrite every record as an attacker holding `key` would: same content (plus `changes`
    to record 1), re-linked, re-hashed, re-signed; the head rewritten to match."""
    prev = audit.GENESIS
    for seq in range(1, audit.verify(db).records + 1):
        rec = dict(stored(db, seq), **(changes if seq == 1 else {}) or {})
        if new_key_id:
            rec["key_id"] = signing.key_id(key)
        rec["prev_hash"] = prev
        rec["hash"] = audit.record_hash(rec)
        rec["signature"] = key.sign(rec["hash"].encode()).hex()
        db.write("audit/tamper/set", seq=seq, props=rec)
        prev = rec["hash"]
    db.write("audit/tamper/head", seq=seq, hash=prev)


def replace_key_file() -> Ed25519PrivateKey:
    path = audit.config().key_path
    path.unlink()
    signing.forget(path)
    return audit._key()  # a new key file, made on use


def outcome(report) -> tuple:
    return report.ok, report.first_bad, report.kind


@pytest.mark.parametrize("props", [{"note": "added later"}, {"request_id": "req-forged"}, {"v": 1}])
def test_any_added_or_edited_property_is_found(chain, props):
    chain.write("audit/tamper/set", seq=3, props=props)
    assert outcome(audit.verify(chain)) == (False, 3, "altered")


def test_truncation_with_the_head_rewritten_is_found_by_the_checkpoint(chain):
    audit.checkpoint(chain)
    for seq in range(2, 7):
        chain.write("audit/tamper/delete", seq=seq)
    chain.write("audit/tamper/head", seq=1, hash=stored(chain, 1)["hash"])
    report = audit.verify(chain)
    assert (outcome(report), "reached record 6" in report.detail) == ((False, 2, "missing"), True)


def test_wiped_trail_is_found_by_the_checkpoint(chain):
    audit.checkpoint(chain)
    chain.write("audit/tamper/wipe")
    assert outcome(audit.verify(chain)) == (False, 1, "missing")


def test_data_with_an_empty_trail_is_an_error(chain):
    chain.write("audit/tamper/wipe")  # no checkpoint yet: the users' presence gives it away
    report = audit.verify(chain)
    assert (outcome(report), "User" in report.detail) == ((False, 1, "missing"), True)


def test_empty_database_with_an_empty_trail_verifies(db, own_key):
    assert outcome(audit.verify(db)) == (True, None, None)


def test_resigned_with_a_new_key_but_the_old_key_id_is_found(chain):
    resign(chain, replace_key_file(), new_key_id=False)
    assert outcome(audit.verify(chain)) == (False, 1, "bad-signature")


def test_history_rewritten_with_a_new_key_is_found(chain):
    resign(chain, replace_key_file(), new_key_id=True, changes={"subject": "user:mallory"})
    assert outcome(audit.verify(chain)) == (False, 1, "untrusted-key")


def test_cli_and_server_agree_on_a_resigned_trail(chain):
    resign(chain, replace_key_file(), new_key_id=True)
    result = cli_verify(chain)
    server = audit.verify(chain)
    assert (result.returncode, f"record {server.first_bad} ({server.kind})" in result.stderr) == (1, True)


def test_a_write_with_a_key_the_chain_does_not_name_is_refused(chain):
    replace_key_file()
    with pytest.raises(AuditKeyMismatch):
        security.create_user(chain, NewUser(name="x", roles=["auditor"]), actor="tester")
    assert (audit.verify(chain).ok, security_user_exists(chain, "x")) == (True, False)


def security_user_exists(db, name: str) -> bool:
    return bool(db.read("security/user_get", user=name))


def test_rotation_is_a_record_signed_by_the_outgoing_key(chain):
    old = signing.key_id(audit._key())
    rec = audit.rotate_key(chain, actor="tester", reason="yearly")
    security.create_user(chain, NewUser(name="after", roles=["auditor"]), actor="tester")
    report = audit.verify(chain)
    new = signing.key_id(audit._key())
    assert (report.ok, rec["key_id"], rec["subject"], stored(chain, 8)["key_id"], report.key_id) == \
        (True, old, f"audit-key:{new}", new, new)


def test_cli_rotates_the_key_and_verifies_the_key_chain(chain):
    rotated = cli_verify(chain, "rotate-key", "--reason", "test")
    signing.forget(audit.config().key_path)  # the CLI replaced the file
    security.create_user(chain, NewUser(name="after", roles=["auditor"]), actor="tester")
    verified = cli_verify(chain)
    assert (rotated.returncode, verified.returncode, audit.verify(chain).ok) == (0, 0, True)


def test_a_forged_rotation_is_found(chain):
    mallory = Ed25519PrivateKey.generate()
    rec = forged(chain, 6, seq=7, prev_hash=stored(chain, 6)["hash"], action=audit.ROTATE,
                 subject=f"audit-key:{signing.key_id(mallory)}", public_key=signing.public_bytes(mallory).hex())
    rec["signature"] = mallory.sign(rec["hash"].encode()).hex()
    chain.write("audit/tamper/insert", props=rec)
    assert outcome(audit.verify(chain)) == (False, 7, "bad-signature")


def test_checkpoints_hold_the_head_and_verify_reads_them(chain):
    entry = audit.checkpoint(chain)
    report = audit.verify(chain)
    assert ((entry["seq"], entry["hash"]), report.checkpoints, report.latest_checkpoint) == \
        ((6, stored(chain, 6)["hash"]), 1, 6)


def test_an_altered_checkpoint_file_is_found(chain):
    audit.checkpoint(chain)
    path = checkpoints.path_in(audit.config().checkpoint_dir)
    path.write_text(path.read_text().replace('"reason":"manual"', '"reason":"other"'))
    assert outcome(audit.verify(chain))[2] == "bad-checkpoint"


def test_a_removed_anchor_leaves_the_trail_unanchored(chain):
    checkpoints.path_in(audit.config().checkpoint_dir).unlink()
    assert outcome(audit.verify(chain)) == (False, 1, "unanchored")


def test_a_broken_trail_gets_no_checkpoint(chain):
    chain.write("audit/tamper/delete", seq=6)
    with pytest.raises(CheckpointRefused):
        audit.checkpoint(chain)


def test_checkpoint_goes_to_the_witness_whose_copy_finds_a_wipe(chain, own_key):
    got: list[bytes] = []

    class Witness(BaseHTTPRequestHandler):
        def do_POST(self):
            got.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass
    server = HTTPServer(("127.0.0.1", 0), Witness)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        audit.config().witness_url = f"http://127.0.0.1:{server.server_port}/checkpoints"
        audit.checkpoint(chain)
    finally:
        server.shutdown()
    witness_copy = own_key / "witness.jsonl"
    anchor = checkpoints.path_in(audit.config().checkpoint_dir).read_bytes().splitlines()[0]
    witness_copy.write_bytes(anchor + b"\n" + got[-1] + b"\n")
    chain.write("audit/tamper/wipe")
    checkpoints.path_in(audit.config().checkpoint_dir).unlink()  # the attacker also had the disk
    audit.config().trusted_key = json.loads(anchor)["public_key"]  # pinned by configuration
    assert outcome(audit.verify(chain, checkpoint_files=[witness_copy])) == (False, 1, "missing")


def test_cli_checkpoint_then_verify_reports_it(chain):
    made = cli_verify(chain, "checkpoint")
    verified = cli_verify(chain)
    assert (made.returncode, verified.returncode, "1 checkpoints match" in verified.stdout) == (0, 0, True)


def test_a_clash_on_the_audit_chain_is_not_reported_as_a_name_clash(chain):
    chain.write("audit/tamper/insert", props={"seq": 7, "action": "squatter"})  # the next number, taken
    with pytest.raises(ConstraintError) as caught:
        security.create_user(chain, NewUser(name="fresh", roles=["auditor"]), actor="tester")
    assert (type(caught.value).__name__, "AuditRecord" in str(caught.value)) == ("ConstraintError", True)


def test_the_api_writes_checkpoints_at_intervals(db):
    from fastapi.testclient import TestClient

    from api.main import create_app
    from tests.conftest import issue_key
    settings = db.settings.model_copy(update={"audit_checkpoint_seconds": 0.2})
    issue_key(db, "ops", ["admin"])
    with TestClient(create_app(settings)):
        deadline = time.monotonic() + 120
        while audit.verify(db).latest_checkpoint != 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        report = audit.verify(db)
    assert (report.ok, report.latest_checkpoint) == (True, 2)


def test_a_name_clash_is_recognised_from_neo4js_own_error(chain):
    with pytest.raises(ConstraintError) as caught:
        chain.write("security/user_create", props={"name": "u0", "roles": ["auditor"], "disabled": False})
    assert (security._violates(caught.value, "User", "name"), security._violates(caught.value, "AuditRecord", "seq")) \
        == (True, False)


def test_a_checkpoint_resumes_from_the_last_and_still_refuses_a_gap_after_it(chain):
    audit.checkpoint(chain)
    security.create_user(chain, NewUser(name="later", roles=["auditor"]), actor="tester")
    security.update_user(chain, "later", "tester", disabled=True)
    chain.write("audit/tamper/delete", seq=7)
    with pytest.raises(CheckpointRefused, match="record 7"):
        audit.checkpoint(chain)


def test_a_checkpoint_after_a_rotation_names_the_new_key(chain):
    audit.checkpoint(chain)
    audit.rotate_key(chain, actor="tester")
    security.create_user(chain, NewUser(name="later", roles=["auditor"]), actor="tester")
    entry = audit.checkpoint(chain)
    report = audit.verify(chain)
    assert (entry["seq"], entry["signer"], report.ok, report.checkpoints) == \
        (8, signing.key_id(audit._key()), True, 3)


def test_records_of_the_first_format_still_verify_and_the_chain_goes_on(db, own_key):
    key = audit._key()
    audit._pin(key)
    prev = audit.GENESIS
    for seq in (1, 2):  # as the first version wrote them: its field list, a 16-digit key id
        rec = {"seq": seq, "time": audit.utc_stamp(), "actor": "old", "action": "user.create",
               "subject": f"user:o{seq}", "key_id": signing.legacy_key_id(key), "prev_hash": prev}
        rec["hash"] = audit.record_hash(rec)
        rec["signature"] = key.sign(rec["hash"].encode()).hex()
        db.write("audit/tamper/insert", props=rec)
        prev = rec["hash"]
    db.write("backup/lock", genesis=audit.GENESIS, now=audit.utc_stamp())  # the head, as it was
    db.write("audit/tamper/head", seq=2, hash=prev)
    security.create_user(db, NewUser(name="new", roles=["auditor"]), actor="tester")
    report = audit.verify(db)
    assert (report.ok, report.checked, stored(db, 3)["v"]) == (True, 3, 2)


def test_db_reset_sets_the_checkpoints_aside(chain, cli):
    audit.checkpoint(chain)
    result = cli("db", "reset", "--yes")
    retired = list((audit.config().checkpoint_dir / "retired").glob("checkpoints-*.jsonl"))
    assert (result.exit_code, len(retired), audit.verify(chain).ok) == (0, 1, True)


def test_without_the_reset_an_emptied_database_fails_verify(chain):
    audit.checkpoint(chain)
    schema.reset(chain)
    assert outcome(audit.verify(chain)) == (False, 1, "missing")
