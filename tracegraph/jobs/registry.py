"""Job kinds and the functions that run them. Domains register their own handlers
(tracegraph/capture/jobs.py, ...); `load()` imports them so a worker knows every kind."""
from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from neo4j import ManagedTransaction

from graph.db import Database

MODULES = ("tracegraph.capture.jobs", "tracegraph.alerts.jobs", "tracegraph.rules.jobs")
MODULES += ("tracegraph.epcis_query.jobs",)  # EPCIS subscription runs (issue 19)


@dataclass
class Context:
    """What a handler gets: the database, the job, and `finish(tx, result)` to call inside its
    own write transaction when the job's effect must commit with the job's success."""
    db: Database
    job: dict
    payload: dict
    body: bytes | None
    finish: Callable[[ManagedTransaction, dict | None], None]
    final: bool  # the last attempt: a handler that keeps state of its own records the failure now
    finished: list = field(default_factory=list)  # set by finish()


Handler = Callable[[Context], dict[str, Any] | None]
_handlers: dict[str, Handler] = {}


def register(kind: str) -> Callable[[Handler], Handler]:
    def add(fn: Handler) -> Handler:
        _handlers[kind] = fn
        return fn
    return add


def handler(kind: str) -> Handler | None:
    return _handlers.get(kind)


def load() -> None:
    for module in MODULES:
        importlib.import_module(module)
