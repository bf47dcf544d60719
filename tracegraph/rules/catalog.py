"""The rule catalog: every `cypher/rules/*.cypher` file, read with its metadata header.

The header is the leading `// key: value` comment block (YAML), ended by a bare `//`.
A rule whose header names another `query` is judged by that shared query (files named
`_*.cypher`, not rules themselves), which takes `$on` (the codes to judge) and `$ps`
(their parameters by code) and returns a `rule` column (engine.evaluate).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

from tracegraph.alerts.enums import Severity

SUBJECTS = ("item", "object", "party")


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    severity: Severity
    subject: str  # item | object | party: what `subject` names and how a scope reaches it
    triggers: frozenset[str]  # event types whose capture can change the rule's answer
    params: dict = field(default_factory=dict)  # defaults
    query: str = ""  # named query, e.g. "rules/two_places"
    description: str = ""
    expands: str | None = None  # lot_items: a scoped lot also judges the lot's items
    shared: bool = False  # `query` is a shared pass that judges several rules at once
    paged: bool = True  # a full sweep judges an item rule a page of items at a time (header `sweep: whole`: in one go)


def parse(name: str, text: str) -> Rule:
    header, description = [], []
    lines = text.splitlines()
    for n, line in enumerate(lines):
        if line.strip() == "//" or not line.startswith("//"):
            description = [ln[2:].strip() for ln in lines[n + 1:] if ln.startswith("//")]
            break
        header.append(line[2:])
    meta = yaml.safe_load("\n".join(header)) or {}
    missing = {"code", "title", "severity", "subject", "triggers", "params"} - set(meta)
    if missing:
        raise ValueError(f"cypher/rules/{name}.cypher: header lacks {sorted(missing)}")
    if meta["subject"] not in SUBJECTS:
        raise ValueError(f"cypher/rules/{name}.cypher: subject must be one of {SUBJECTS}")
    if meta.get("sweep", "paged") not in ("paged", "whole"):
        raise ValueError(f"cypher/rules/{name}.cypher: sweep must be paged or whole")
    return Rule(code=meta["code"], title=meta["title"], severity=Severity(meta["severity"]),
                subject=meta["subject"], triggers=frozenset(meta["triggers"]), params=dict(meta["params"]),
                query=meta.get("query", f"rules/{name}"), description=" ".join(description),
                expands=meta.get("expands"), shared="query" in meta, paged=meta.get("sweep", "paged") == "paged")


@cache
def rules() -> dict[str, Rule]:
    """Every rule by code, in code order."""
    folder = resources.files("cypher").joinpath("rules")
    found = [parse(p.name.removesuffix(".cypher"), p.read_text())
             for p in folder.iterdir() if p.name.endswith(".cypher") and not p.name.startswith("_")]
    return {r.code: r for r in sorted(found, key=lambda r: r.code)}
