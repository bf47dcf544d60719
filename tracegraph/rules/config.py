"""Effective rules configuration: packaged defaults < settings.rules_config file < Neo4j overlay.

The overlay is what `PUT /v1/rules` stores; it is read inside the caller's
transaction so ingest sees the same configuration it commits with. The settings are
the caller's (the app's, the CLI's): nothing here reads the environment.
"""
from __future__ import annotations

import copy
import json
from importlib import resources
from pathlib import Path

import yaml
from neo4j import ManagedTransaction

from core.settings import Settings
from graph.db import run
from tracegraph.rules.catalog import rules
from tracegraph.rules.errors import InvalidRulesConfig
from tracegraph.rules.models import RulesConfig


def _merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in (over or {}).items():
        if key == "rules":
            for code, entry in (value or {}).items():
                merged = out["rules"].setdefault(code, {})
                merged.update({k: v for k, v in entry.items() if k != "params"})
                merged.setdefault("params", {}).update(entry.get("params") or {})
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out


def defaults(settings: Settings) -> dict:
    base = yaml.safe_load(resources.files("tracegraph.rules").joinpath("rules.yaml").read_text())
    path: Path | None = settings.rules_config
    if path:
        if not path.is_file():
            raise InvalidRulesConfig(f"TRACEGRAPH_RULES_CONFIG names {path}, which is not a file",
                                     field="rules_config")
        base = _merge(base, yaml.safe_load(path.read_text()) or {})
    return base


def overlay(tx: ManagedTransaction) -> dict:
    rows = run(tx, "alerts/config_get")
    return json.loads(rows[0]["body"]) if rows else {}


def effective(tx: ManagedTransaction, settings: Settings) -> RulesConfig:
    return validate(_merge(defaults(settings), overlay(tx)))


def validate(raw: dict) -> RulesConfig:
    """Check codes and parameter names/types against the rule headers; fill defaults."""
    try:
        config = RulesConfig.model_validate(raw)
    except ValueError as exc:
        raise InvalidRulesConfig(str(exc).splitlines()[0] if str(exc) else "invalid", field="body") from exc
    catalog = rules()
    for code, entry in config.rules.items():
        if code not in catalog:
            raise InvalidRulesConfig(f"unknown rule code {code!r}; known: {', '.join(catalog)}",
                                     field=f"rules.{code}")
        for name, value in entry.params.items():
            default = catalog[code].params.get(name, _MISSING)
            if default is _MISSING:
                raise InvalidRulesConfig(f"rule {code} has no parameter {name!r}; it has "
                                         f"{', '.join(catalog[code].params) or 'none'}",
                                         field=f"rules.{code}.params.{name}")
            if not _same_kind(default, value):
                raise InvalidRulesConfig(f"rule {code} parameter {name} must be a {_kind(default)}, "
                                         f"got {value!r}", field=f"rules.{code}.params.{name}")
    return config


_MISSING = object()


def _kind(value) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, list):
        return "list of strings"
    return "string"


def _same_kind(default, value) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float)) and value >= 0
    if isinstance(default, list):
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return isinstance(value, str)


def params(config: RulesConfig, code: str) -> dict:
    """A rule's parameters: header defaults with configured overrides."""
    entry = config.rules.get(code)
    return {**rules()[code].params, **(entry.params if entry else {})}


def enabled(config: RulesConfig, code: str) -> bool:
    entry = config.rules.get(code)
    return entry.enabled if entry else True
