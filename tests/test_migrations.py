"""Versioned schema migrations recorded in the database, and an upgrade from release 0.1
(issue 18 §5): a 0.1 database (no migration records, a capture left running with no Job)
is brought to the latest version."""
from __future__ import annotations

from graph import schema


def _old_release_database(db) -> None:
    """What 0.1 left: its data, no SchemaMigration records, a capture interrupted mid-write."""
    db.write("test/legacy_capture_job", id="legacy-1")


def test_migrate_records_every_migration(db):
    schema.migrate(db)
    assert [row["version"] for row in schema.applied(db)] == [v for v, _ in schema.migrations()]


def test_migrate_twice_applies_nothing_new(db):
    schema.migrate(db)
    first = schema.applied(db)
    schema.migrate(db)
    assert schema.applied(db) == first


def test_upgrade_from_0_1_reaches_the_latest_version(db):
    _old_release_database(db)
    schema.migrate(db)
    assert schema.applied(db)[-1]["version"] == schema.latest_version()


def test_upgrade_from_0_1_fails_captures_no_job_will_finish(db):
    _old_release_database(db)
    schema.migrate(db)
    job = db.read("epcis/job_get", id="legacy-1")[0]["job"]
    assert (job["status"], "upgraded" in job["errors"][0]) == ("failed", True)


def test_migrations_are_numbered_without_gaps():
    versions = [v for v, _ in schema.migrations()]
    assert versions == list(range(1, len(versions) + 1))


def test_cli_migrate_reports_the_version(db, cli):
    result = cli("db", "migrate")
    assert f"at migration {schema.latest_version()}" in result.output


def test_a_migrated_empty_database_still_takes_a_restore(db, tmp_path):
    from tracegraph.backup import service as backup
    schema.migrate(db)
    db.write("test/legacy_capture_job", id="kept-1")
    backup.create(db, tmp_path / "b.jsonl.gz")
    schema.reset(db)
    schema.migrate(db)  # stamps the empty database, as `tracegraph db reset --yes` does
    report = backup.restore(db, tmp_path / "b.jsonl.gz", actor="test")
    assert (report.counts_ok, report.fingerprint_ok) == (True, True)
