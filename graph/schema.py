"""Apply and check the schema (constraints, indexes); wipe data on request."""
import re
from importlib import resources

from graph.db import Database
from graph.queries import query

SCHEMA = "schema/schema"


def schema_files() -> list[str]:
    """The core schema, then each domain's own `cypher/<domain>/schema.cypher`."""
    root = resources.files("cypher")
    domains = sorted(d.name for d in root.iterdir() if d.is_dir() and d.joinpath("schema.cypher").is_file()
                     and d.name != "schema")
    return [SCHEMA] + [f"{d}/schema" for d in domains]


def required_constraints() -> list[str]:
    return [name for f in schema_files() for name in re.findall(r"CREATE CONSTRAINT (\w+)", query(f))]


def migrate(db: Database) -> int:
    """Create missing constraints and indexes; safe to run any number of times."""
    count = sum(db.run_statements(f) for f in schema_files())
    with db.session() as session:
        session.run(query("schema/await"), seconds=300).consume()
    return count


def is_applied(db: Database) -> bool:
    names = required_constraints()
    present = db.read("schema/check", names=names)[0]["present"]
    return set(present) == set(names)


def reset(db: Database) -> None:
    """Delete every node and relationship; the schema stays."""
    db.memo.clear()
    db.run_statements("schema/reset")
