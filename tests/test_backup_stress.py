"""Many audited writers, a backup and a restore at once, round after round: one audit chain,
never a duplicate sequence number, a snapshot from one point in time, and a restore that
continues the chain it restored. No timing assumptions: phases wait on the database's state."""
import threading
import time

import pytest

from graph import schema
from tracegraph.audit import service as audit
from tracegraph.audit.errors import RestoreInProgress
from tracegraph.backup import service as backup
from tracegraph.security import service as security
from tracegraph.security.models import NewUser

WRITERS = 6
ROUNDS = 3
DEADLINE = 300.0  # seconds to wait for any phase; generous for a busy 2-core machine


class Writers:
    """Threads that each create a user and disable it (two audited writes) until stopped."""

    def __init__(self, db, tag: str):
        self.db, self.tag = db, tag
        self.stop = threading.Event()
        self.errors: list[BaseException] = []
        self.refused = 0  # writes refused while a restore ran (the expected answer then)
        self.threads = [threading.Thread(target=self._run, args=(t,)) for t in range(WRITERS)]
        for thread in self.threads:
            thread.start()

    def _run(self, t: int) -> None:
        n = 0
        while not self.stop.is_set() and not self.errors:
            name = f"{self.tag}-{t}-{n}"
            try:
                security.create_user(self.db, NewUser(name=name, roles=["auditor"]), actor="stress")
                security.update_user(self.db, name, "stress", disabled=True)
            except RestoreInProgress:
                self.refused += 1
            except BaseException as exc:  # noqa: BLE001 - reported by the test
                self.errors.append(exc)
            n += 1

    def join(self) -> list[BaseException]:
        self.stop.set()
        for thread in self.threads:
            thread.join()
        return self.errors


def head(db) -> dict:
    return db.read("audit/head_read")[0]


def wait_for(what: str, check, writers: "Writers") -> None:
    deadline = time.monotonic() + DEADLINE
    while not check():
        if writers.errors:
            raise AssertionError(f"a writer failed while waiting for {what}: {writers.errors[0]!r}")
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


def seq(db) -> int:
    return head(db)["seq"] or 0


@pytest.fixture
def empty(database):
    schema.reset(database)
    audit.retire_checkpoints(keep=False)
    return database


def one_round(db, path, n: int) -> dict:
    start = seq(db)
    writers = Writers(db, f"r{n}a")
    try:
        wait_for("writes before the backup", lambda: seq(db) >= start + 20, writers)
        manifest = backup.create(db, path)
        wait_for("writes after the backup", lambda: seq(db) >= manifest.audit_seq + 20, writers)
    finally:
        errors_before = writers.join()
    schema.reset(db)
    result: dict = {}

    def restore() -> None:
        try:
            result["report"] = backup.restore(db, path, actor="stress")
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            result["error"] = exc
    restorer = threading.Thread(target=restore)
    restorer.start()
    wait_for("the restore to claim the database", lambda: head(db)["restoring"] or not restorer.is_alive(), writers)
    writers = Writers(db, f"r{n}b")  # these wait for the restore, refused until it is done
    try:
        restorer.join()
        wait_for("writes after the restore", lambda: seq(db) >= (manifest.audit_seq or 0) + 21, writers)
    finally:
        errors_after = writers.join()
    first_after = audit.list_records(db, after=manifest.audit_seq, limit=1)
    if "error" in result:
        raise AssertionError(f"the restore failed: {result['error']!r}")
    return {"manifest": manifest, "report": result["report"], "errors": errors_before + errors_after,
            "next": first_after[0] if first_after else None, "verify": audit.verify(db)}


def test_writers_backup_and_restore_at_once_keep_one_chain(empty, tmp_path):
    rounds = [one_round(empty, tmp_path / f"b{k}.tgz", k) for k in range(ROUNDS)]
    outcome = [([str(e) for e in r["errors"]], r["report"].ok, r["verify"].ok, r["next"].action,
                r["next"].prev_hash == r["manifest"].audit_hash) for r in rounds]
    assert outcome == [([], True, True, "backup.restore", True)] * ROUNDS


def test_backup_records_its_chain_head_and_checkpoints_it(empty, tmp_path):
    for k in range(3):
        security.create_user(empty, NewUser(name=f"c{k}", roles=["auditor"]), actor="t")
    manifest = backup.create(empty, tmp_path / "b.tgz")
    rec = audit.list_records(empty, after=2, limit=1)[0]
    assert (manifest.audit_seq, manifest.audit_hash, manifest.checkpoint) == (3, rec.hash, 3)
