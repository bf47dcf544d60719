"""Backup and restore: a full round trip on generated data, node for node."""
import gzip
import json
import threading
from collections import Counter

import pytest

from core.errors import Conflict
from graph import schema
from loaders.generator import generate
from tracegraph.audit import service as audit
from tracegraph.backup import service as backup
from tracegraph.backup.service import BackupError
from tracegraph.capture import files as ingest
from tracegraph.security import service as security
from tracegraph.security.models import NewKey, NewUser


def everything(db) -> tuple[Counter, Counter]:
    """Every node (labels, properties) and relationship (end nodes' contents, type,
    properties) as comparable, id-free lines."""
    nodes, rels, content = Counter(), Counter(), {}

    def work(tx):
        for kind, row in backup._walk(tx):
            if kind == "node":
                node_id, labels, props = row
                content[node_id] = json.dumps([sorted(labels), props], sort_keys=True)
                nodes[content[node_id]] += 1
            else:
                start, end, rel_type, props = row
                rels[json.dumps([content[start], rel_type, props, content[end]], sort_keys=True)] += 1
    db.read_tx(work)
    return nodes, rels


@pytest.fixture(scope="module")
def saved(database, tmp_path_factory):
    """Generated data loaded once, with users and keys; its contents and a backup of it."""
    out = tmp_path_factory.mktemp("backup")
    generate(out / "data", serials=40, seed=3, events_per_file=400)
    schema.reset(database)
    audit.retire_checkpoints(keep=False)  # a new chain: earlier tests' checkpoints are not its own
    ingest.load_files(database, ingest.expand([out / "data"]))
    security.create_user(database, NewUser(name="ops", roles=["admin"], password="correct horse battery"),
                         actor="t")
    security.issue_key(database, "ops", NewKey(label="x"), actor="t")
    contents = everything(database)
    records = audit.verify(database).checked
    manifest = backup.create(database, out / "b.tgz")
    return {"file": out / "b.tgz", "contents": contents, "records": records, "manifest": manifest}


@pytest.fixture(scope="module")
def restored(database, saved):
    schema.reset(database)
    report = backup.restore(database, saved["file"], actor="t")
    return {"report": report, "contents": everything(database)}


def without_restore_record(nodes: Counter) -> Counter:
    return Counter({k: v for k, v in nodes.items() if '"backup.restore"' not in k and "AuditHead" not in k})


def test_backup_has_every_node(saved):
    assert saved["manifest"].nodes == sum(saved["contents"][0].values())


def test_restore_checks_pass(restored):
    report = restored["report"]
    assert (report.counts_ok, report.fingerprint_ok, report.audit.ok) == (True, True, True)


def test_round_trip_restores_every_node(saved, restored):
    assert without_restore_record(restored["contents"][0]) == without_restore_record(saved["contents"][0])


def test_round_trip_restores_every_relationship(saved, restored):
    assert restored["contents"][1] == saved["contents"][1]


def test_restored_audit_chain_verifies_and_records_the_restore(database, saved, restored):
    report = audit.verify(database)
    last = audit.list_records(database, after=saved["records"])
    assert (report.ok, report.checked, [r.action for r in last]) == (True, saved["records"] + 1, ["backup.restore"])


def test_restore_refuses_a_database_with_data(database, saved, restored):
    with pytest.raises(Conflict, match="empty database"):
        backup.restore(database, saved["file"], actor="t")


def test_altered_backup_is_refused_before_writing(database, saved, restored, tmp_path):
    path = tmp_path / "altered.tgz"
    lines = gzip.decompress(saved["file"].read_bytes()).decode().splitlines(keepends=True)
    n = next(i for i, line in enumerate(lines) if '"urn:' in line and i > 0)
    lines[n] = lines[n].replace('"urn:', '"urx:', 1)  # still valid JSON, different data
    path.write_bytes(gzip.compress("".join(lines).encode()))
    before = database.read("backup/count")[0]
    with pytest.raises(BackupError, match="checksum"):
        backup.restore(database, path, actor="t")
    assert database.read("backup/count")[0] == before


def test_truncated_backup_is_refused(saved, tmp_path):
    path = tmp_path / "truncated.tgz"
    lines = gzip.decompress(saved["file"].read_bytes()).splitlines(keepends=True)
    path.write_bytes(gzip.compress(b"".join(lines[:-1])))
    with pytest.raises(BackupError, match="truncated"):
        backup.check(path)


def test_not_a_backup_is_refused(tmp_path):
    path = tmp_path / "x.tgz"
    path.write_bytes(b"hello")
    with pytest.raises(BackupError):
        backup.check(path)


def test_backup_while_writes_go_on_is_consistent(database, restored, tmp_path):
    loaded = database
    stop = threading.Event()

    def writer():
        n = 0
        while not stop.is_set():
            security.create_user(loaded, NewUser(name=f"w{n}", roles=["auditor"]), actor="t")
            n += 1
    thread = threading.Thread(target=writer)
    thread.start()
    try:
        backup.create(loaded, tmp_path / "b.tgz")
    finally:
        stop.set()
        thread.join()
    schema.reset(loaded)
    report = backup.restore(loaded, tmp_path / "b.tgz", actor="t")
    assert (report.ok, report.audit.ok) == (True, True)
