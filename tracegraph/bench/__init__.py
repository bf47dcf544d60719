"""Benchmarks: each compares tracegraph with a baseline measured in the same run."""
from __future__ import annotations

from contextlib import contextmanager


@contextmanager
def without_ingest_hooks():
    """Load a query benchmark's data set with the normal writer but without the domain
    hooks (quality checks, alert rules, audit): they measure other things (bench ingest
    and bench rules time them), and at a million serials they would double the set-up."""
    from tracegraph.capture import hooks as ingest_hooks
    saved = ingest_hooks.before_write, ingest_hooks.after_write
    ingest_hooks.before_write = ingest_hooks.after_write = lambda ctx: None
    try:
        yield
    finally:
        ingest_hooks.before_write, ingest_hooks.after_write = saved
