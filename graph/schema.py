"""Apply and check the schema (constraints, indexes); wipe data on request."""
import re
from importlib import resources

from neo4j import Query

from graph.db import Database
from graph.queries import query, statements

SCHEMA = "schema/schema"
APPLIED = "schema:applied"  # Database.memo key: migrate ran through this object (reset forgets it)
# The name a schema statement creates: statements whose constraint or index exists are skipped.
CONSTRAINT = re.compile(r"^\s*CREATE\s+CONSTRAINT\b", re.IGNORECASE)
NAMED = re.compile(r"CREATE\s+(?:\w+\s+)?(?:CONSTRAINT|INDEX)\s+(\w+)\s+IF\s+NOT\s+EXISTS", re.IGNORECASE)


def schema_files() -> list[str]:
    """The core schema, then each domain's own `cypher/<domain>/schema.cypher`."""
    root = resources.files("cypher")
    domains = sorted(d.name for d in root.iterdir() if d.is_dir() and d.joinpath("schema.cypher").is_file()
                     and d.name != "schema")
    return [SCHEMA] + [f"{d}/schema" for d in domains]


def required_constraints() -> list[str]:
    return [name for f in schema_files() for name in re.findall(r"CREATE CONSTRAINT (\w+)", query(f))]


def migrations() -> list[tuple[int, str]]:
    """(version, name) of every numbered migration, `cypher/migrations/NNNN_name.cypher`, in order."""
    root = resources.files("cypher").joinpath("migrations")
    found = [re.fullmatch(r"(\d{4})_(\w+)\.cypher", f.name) for f in root.iterdir()]
    return sorted((int(m.group(1)), m.group(2)) for m in found if m)


def latest_version() -> int:
    return migrations()[-1][0]


def applied(db: Database) -> list[dict]:
    """The migrations recorded in this database (version, name, applied)."""
    return db.read("schema/migrations_applied")


def migrate(db: Database, current: bool = False, wait: bool = True) -> int:
    """Create missing constraints and indexes, then apply the numbered migrations this database
    has not had, recording each (a SchemaMigration node). Safe to run any number of times and
    from several processes at once: every migration statement is idempotent.
    `current`: the data is already in the latest form (a bulk import just wrote it): the
    migrations are recorded without running them (their passes over the data would change
    nothing). Creating the schema in one transaction was measured slower than statement by
    statement on an imported store (more wall time for the same CPU).
    `wait=False` (only with `current`: no migration pass needs them): the indexes may still be
    populating on return (constraints are online: creating one waits for its index); the caller
    calls await_indexes before it is done.
    A statement whose constraint or index exists already (by name) is not sent, as IF NOT EXISTS
    would skip it: each costs a schema transaction, and every app start and CLI command migrates
    (the test suite starts an app per API test)."""
    present = _schema_names(db)
    count = 0
    # constraints first: a constraint's creation waits for its own index, and an index created
    # before it would populate first (on an imported store, seconds per Event index)
    ordered = sorted((stmt for f in schema_files() for stmt in statements(f)),
                     key=lambda stmt: CONSTRAINT.search(stmt) is None)
    with db.session() as session:
        for stmt in ordered:
            named = NAMED.search(stmt)
            if named is None or named.group(1) not in present:
                session.run(Query(stmt)).consume()
                count += 1
    if wait or not current:
        await_indexes(db)
    done = {row["version"] for row in applied(db)}
    for version, name in migrations():
        if version not in done:
            if not current:
                count += db.run_statements(f"migrations/{version:04d}_{name}")
            db.write("schema/migration_record", version=version, migration=name, by=f"tracegraph {_release()}")
    db.memo[APPLIED] = True
    return count


def _schema_names(db: Database) -> set[str]:
    """Names of the constraints and indexes there are (a constraint's own index shares its name)."""
    return {name for q in ("schema/constraint_names", "schema/index_names") for name in db.read(q)[0]["names"]}


def await_indexes(db: Database, seconds: int = 300) -> None:
    """Block until every index is online."""
    with db.session() as session:
        session.run(query("schema/await"), seconds=seconds).consume()


def _release() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("tracegraph")
    except PackageNotFoundError:
        return "unknown"


def is_applied(db: Database) -> bool:
    names = required_constraints()
    present = db.read("schema/check", names=names)[0]["present"]
    return set(present) == set(names)


def reset(db: Database) -> None:
    """Delete every node and relationship; the schema stays."""
    db.memo.clear()
    db.run_statements("schema/reset")
