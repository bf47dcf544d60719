"""The EPCIS 2.0 JSON Schema, compiled once, applied to every capture document.

jsonschema (pure Python) costs ~1.2 ms per event; jsonschema-rs (Rust, same draft-07
semantics, formats checked) ~0.004 ms, so validation stays on at full ingest speed.

Two rules are relaxed because conformant test documents break them and the EPCIS 2.0
XSD allows what they do (`RELAXATIONS`, each tested against the document that needs it).
"""
from __future__ import annotations

import copy
import json
import logging
from functools import cache
from pathlib import Path

import jsonschema_rs

from core.settings import Settings, get_settings

log = logging.getLogger("tracegraph.epcis")

# (definition, what changed, why)
RELAXATIONS = (
    ("measurementType", "any string",
     "sensorReport types such as 'Molar_concentration' and 'EffectiveDoseRate' appear in the OpenEPCIS "
     "valid documents; the XSD types the attribute as anyURI/QName, not as a closed list"),
    ("sensorReport", "type optional",
     "the XSD makes the sensorReport type attribute optional (SensorData_with_combined_events.xml omits it)"),
)


def schema_path(settings: Settings | None = None) -> Path:
    """The caller's configured schema file (`TRACEGRAPH_EPCIS_SCHEMA`), else ../shared's.
    Without settings (tests, scripts) the environment's apply."""
    settings = settings or get_settings()
    if settings.epcis_schema:
        return settings.epcis_schema
    return Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "epcis-schema" / \
        "epcis-json-schema.json"


def relaxed(schema: dict) -> dict:
    out = copy.deepcopy(schema)
    defs = out["definitions"]
    defs["measurementType"] = {"type": "string", "minLength": 1}
    required = [r for r in defs["sensorReport"].get("required", []) if r != "type"]
    if required:
        defs["sensorReport"]["required"] = required
    else:
        defs["sensorReport"].pop("required", None)
    return out


@cache
def validator(path: Path | None = None):
    """The compiled schema, or None when the schema file is not there.

    The schema is GS1/OpenEPCIS data that this project does not ship: without it
    capture still checks every field with the pydantic models, and says so once."""
    path = path or schema_path()
    if not path.is_file():
        log.warning("EPCIS JSON Schema not found at %s: documents are checked by tracegraph's own models "
                    "only; set TRACEGRAPH_EPCIS_SCHEMA to the epcis-json-schema.json file", path)
        return None
    schema = json.loads(path.read_text(encoding="utf-8"))
    return jsonschema_rs.validator_for(relaxed(schema), validate_formats=True)


def first_error(data: dict, settings: Settings | None = None) -> tuple[list, str] | None:
    """(instance path, message) of the first schema violation, or None when valid."""
    v = validator(schema_path(settings))
    if v is None or v.is_valid(data):
        return None
    errors = sorted(v.iter_errors(data), key=lambda e: [str(p) for p in e.instance_path])
    deepest = max(errors, key=lambda e: len(e.instance_path))
    return list(deepest.instance_path), _message(deepest)


def _message(error, limit: int = 240) -> str:
    message = error.message
    if message[:1] in "[{":  # the message starts by repeating the whole value: name the rule instead
        rule = "/".join(str(p) for p in error.schema_path)
        message = f"the value matches none of the forms the schema allows ({rule})"
    return message if len(message) <= limit else message[:limit - 3] + "..."
