"""Constraints and indexes for users, keys and the audit chain (cypher/security/schema.cypher)."""
from graph.db import Database


def migrate(db: Database) -> int:
    return db.run_statements("security/schema")
