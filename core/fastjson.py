"""JSON on the ingest path through orjson (3-6x the stdlib), falling back to the stdlib
wherever the two differ, so what is accepted, refused and stored does not change:
orjson refuses NaN/Infinity literals (the stdlib accepts them) and reads integers beyond
64 bits as floats (the stdlib keeps them exact)."""
from __future__ import annotations

import json
import re
from typing import Any

import orjson

_LONG_NUMBER = re.compile(rb"[0-9]{20}")  # may not fit 64 bits (shorter ones always do)


def loads(data: bytes) -> Any:
    """Decode; raises json.JSONDecodeError / UnicodeDecodeError as json.loads does."""
    if _LONG_NUMBER.search(data):
        return json.loads(data)
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)  # accepts what orjson refused, or raises the stdlib's error


def dumps(value: Any) -> str:
    """Compact JSON text (no spaces; non-ASCII kept as UTF-8)."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
