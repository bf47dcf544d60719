"""Property values ↔ JSON, exactly: temporal types and bytes are tagged so a restore
writes back the same Neo4j types."""
from __future__ import annotations

import base64
from typing import Any

from neo4j import time as ntime

from core.errors import TracegraphError


def encode(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, ntime.DateTime):
        zone = getattr(value.tzinfo, "key", None) or getattr(value.tzinfo, "zone", None)
        return {"$datetime": value.iso_format(), "zone": zone}
    if isinstance(value, ntime.Date):
        return {"$date": value.iso_format()}
    if isinstance(value, ntime.Time):
        return {"$time": value.iso_format()}
    if isinstance(value, ntime.Duration):
        return {"$duration": [value.months, value.days, value.seconds, value.nanoseconds]}
    if isinstance(value, (bytes, bytearray)):
        return {"$bytes": base64.b64encode(value).decode()}
    raise TracegraphError(f"cannot back up a property of type {type(value).__name__}")


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "$datetime" in value:
        moment = ntime.DateTime.from_iso_format(value["$datetime"])
        if value.get("zone"):
            from zoneinfo import ZoneInfo
            moment = moment.astimezone(ZoneInfo(value["zone"]))
        return moment
    if "$date" in value:
        return ntime.Date.from_iso_format(value["$date"])
    if "$time" in value:
        return ntime.Time.from_iso_format(value["$time"])
    if "$duration" in value:
        months, days, seconds, nanos = value["$duration"]
        return ntime.Duration(months=months, days=days, seconds=seconds, nanoseconds=nanos)
    if "$bytes" in value:
        return base64.b64decode(value["$bytes"])
    raise TracegraphError(f"backup file holds an unknown value {sorted(value)!r}")


def encode_props(props: dict) -> dict:
    return {k: encode(v) for k, v in props.items()}


def decode_props(props: dict) -> dict:
    return {k: decode(v) for k, v in props.items()}


