"""Apply and check the schema (constraints, indexes); wipe data on request."""
import re

from graph.db import Database
from graph.queries import query

SCHEMA = "schema/schema"


def required_constraints() -> list[str]:
    return re.findall(r"CREATE CONSTRAINT (\w+)", query(SCHEMA))


def migrate(db: Database) -> int:
    """Create missing constraints and indexes; safe to run any number of times."""
    count = db.run_statements(SCHEMA)
    with db.session() as session:
        session.run(query("schema/await"), seconds=300).consume()
    return count


def is_applied(db: Database) -> bool:
    names = required_constraints()
    present = db.read("schema/check", names=names)[0]["present"]
    return set(present) == set(names)


def reset(db: Database) -> None:
    """Delete every node and relationship; the schema stays."""
    with db.session() as session:
        session.run(query("schema/reset")).consume()
