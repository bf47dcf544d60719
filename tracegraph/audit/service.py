"""The audit trail: every write appends a record in the writer's own transaction.

Issue #6 makes this hash-chained and Ed25519-signed; callers already use this
signature, so that work changes no caller.
"""
from __future__ import annotations

from typing import Any

from neo4j import ManagedTransaction


def record(tx: ManagedTransaction, *, actor: str, action: str, subject: str, reason: str | None = None,
           before: Any = None, after: Any = None, request_id: str | None = None) -> None:
    """Append one audit record (actor, UTC time, action, subject, reason, before/after digests)."""
