"""Benchmarks: each compares tracegraph with a baseline measured in the same run."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from core.settings import Settings, get_settings


def own_settings(port: int) -> Settings:
    """Settings of a benchmark's own local Neo4j on `port`, with its own audit key and
    checkpoints beside its store: checkpoints of another store (the demo's, another bench's)
    would not match this one's chain and read as tampering."""
    base = get_settings()
    home = Path(".tracegraph") / f"bench-neo4j-{port}"
    return Settings(neo4j_bolt_port=port, neo4j_home=home, neo4j_password=base.neo4j_password,
                    neo4j_heap=base.neo4j_heap, neo4j_pagecache_mb=base.neo4j_pagecache_mb,
                    neo4j_jvm_options=base.neo4j_jvm_options,
                    audit_key_path=home / "audit-ed25519.pem", audit_checkpoint_dir=home / "audit-checkpoints")


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
