"""What the domains do inside an ingest transaction, in one explicit list.

The writer calls `lock` first, before reading anything (the recall state's item locks:
writers of the same items queue, see recalls/state.py), `before_write` after parsing and
before writing anything (a hook refuses the document by raising a TracegraphError: the
transaction rolls back, nothing is written), `event_facets` for what the new events are
created with, and `after_write` once the rows are written, in the same transaction (so item
state, findings, audit records and the incremental rules owed commit with the data or not
at all). The rules themselves run after the commit
(rules.service.run_pending), so a bulk load can overlap them with the next document.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from neo4j import ManagedTransaction

from core.epcis.document import Document
from core.epcis.models import Event
from core.settings import Settings
from tracegraph.recalls import state as item_state


@dataclass
class IngestContext:
    tx: ManagedTransaction
    settings: Settings  # the caller's (the app's, the CLI's): quality policy, rules configuration
    doc: Document
    events: list[Event]  # the events this document adds (re-sent ones excluded)
    actor: str = "system"
    request_id: str | None = None
    notes: dict[str, Any] = field(default_factory=dict)  # what hooks tell the caller (e.g. findings)
    declared: list[str] = field(default_factory=list)  # stored events it declares erroneous (set by the writer)
    # the latest moment one of its error declarations counts from (writer.declared_at; after now when
    # a declarationTime is): the items' states answer as-of questions after it (set by the writer)
    declared_until: datetime | None = None
    locked: set[str] = field(default_factory=set)  # objects write-locked by `lock`
    # marks the objects this transaction creates (ingest/items...; recalls/state.refresh)
    token: str = field(default_factory=lambda: uuid.uuid4().hex)


def lock(ctx: IngestContext, named: list[str]) -> None:
    """Write-lock the objects the document names and all packed inside them (recalls/state.py)."""
    ctx.locked = item_state.lock(ctx.tx, named)


def before_write(ctx: IngestContext) -> None:
    """Checks that may refuse the document (binding rules, holds that block shipping)."""
    from tracegraph.quality import service as quality
    quality.check(ctx)  # raises QualityRejected listing every `reject` violation
    from tracegraph.holds import service as holds
    ctx.notes["held"] = holds.check_capture(ctx.tx, ctx.events)  # raises HeldItems (409) for `block` holds


def event_facets(ctx: IngestContext) -> dict[str, dict]:
    """The EPCIS query facets of the new events (by event ID), stored as they are created."""
    from tracegraph.epcis_query import service as epcis_query
    return epcis_query.capture_facets(ctx.tx, ctx.doc, ctx.events)


def after_write(ctx: IngestContext) -> None:
    """Work that commits with the document (item state, quality findings, the rules owed, audit)."""
    # the recall state of every item the new and declared events can affect, under the locks
    affected = item_state.refresh(ctx.tx, [e.event_id for e in ctx.events] + ctx.declared, ctx.locked, ctx.token,
                                  ctx.declared_until)
    from tracegraph.quality import service as quality
    quality.record_findings(ctx)
    from tracegraph.rules import service as rules
    # a declaration changes answers for what the declared event saw, as a new event does
    declared = set(ctx.declared)
    changed = ctx.events + [e for e in ctx.doc.events if e.event_id in declared]
    if rules.defer(ctx.tx, ctx.settings, [e.event_id for e in changed], {e.type for e in changed}, actor=ctx.actor,
                   subject=ctx.doc.digest, request_id=ctx.request_id, held=bool(ctx.notes.get("held")),
                   objects=affected):
        ctx.notes["rules_pending"] = True
    from tracegraph.epcis_query import service as epcis_query
    from tracegraph.epcis_query import subscriptions
    epcis_query.after_write(ctx.tx, ctx.declared)  # the new events' facets were written with them
    subscriptions.wake()  # streamed subscriptions look again (their poll would catch it too)
    from tracegraph.audit import service as audit
    audit.record(ctx.tx, actor=ctx.actor, action="ingest.document", subject=ctx.doc.digest,
                 after={"source": ctx.doc.source, "events": len(ctx.events)}, request_id=ctx.request_id)
