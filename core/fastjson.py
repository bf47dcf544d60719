"""JSON on the ingest path through orjson (3-6x the stdlib), falling back to the stdlib
wherever the two differ, so what is accepted, refused and stored does not change:
orjson refuses NaN/Infinity literals (the stdlib accepts them) and reads integers beyond
64 bits as floats (the stdlib keeps them exact).

Both paths are strict about what no client should send (issue 20): text that is not
UTF-8 (a UTF-16 body), lone surrogate escapes ("\\ud800", which nothing downstream can
encode) and nesting deeper than the stdlib's recursion allows. `check_limits` bounds a
decoded value (depth, string length, number size) and names the field that broke a bound.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

import orjson

_LONG_NUMBER = re.compile(rb"[0-9]{20}")  # may not fit 64 bits (shorter ones always do)
# the same test as a substring search: digits made 1, all else 0 (the regex took longer than orjson's parse)
_DIGIT_MARKS = bytes(1 if 0x30 <= b <= 0x39 else 0 for b in range(256))
_LONG_RUN = b"\x01" * 20
_NOT_UTF8 = (b"\xff\xfe", b"\xfe\xff")  # UTF-16/32 byte order marks


class JsonRefused(json.JSONDecodeError):
    """Decodable by a lenient parser, refused here; `field` names where, when known."""

    def __init__(self, reason: str, field: str = "$"):
        ValueError.__init__(self, reason)
        self.msg, self.doc, self.pos, self.lineno, self.colno = reason, "", 0, 1, 1
        self.field, self.reason = field, reason

    def __reduce__(self):
        return JsonRefused, (self.reason, self.field)


@dataclass(frozen=True)
class Limits:
    """Bounds on a decoded JSON value (docs/api-conventions.md lists them)."""
    max_depth: int = 64  # arrays and objects inside each other
    max_string: int = 65_536  # characters in one string value or object key
    max_number: float = 1e15  # magnitude of any number (exact in a double, safe to sum)


DEFAULT_LIMITS = Limits()


def loads(data: bytes) -> Any:
    """Decode; raises json.JSONDecodeError (JsonRefused for what is refused on purpose) or
    UnicodeDecodeError as json.loads does."""
    if data[:2] in _NOT_UTF8 or data[:1] == b"\x00" or data[1:2] == b"\x00":
        raise JsonRefused("the body must be UTF-8 encoded JSON (UTF-16 and UTF-32 are refused)")
    if not _long_number(data):
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass  # the stdlib below accepts what orjson refused, or raises its own error
    text = data.decode("utf-8") if isinstance(data, (bytes, bytearray, memoryview)) else data
    try:
        value = json.loads(text)
    except RecursionError:
        raise JsonRefused(f"nested more than {DEFAULT_LIMITS.max_depth} arrays or objects deep") from None
    _refuse_surrogates(value)
    return value


def _long_number(data) -> bool:
    """Twenty digits in a row somewhere (_LONG_NUMBER)."""
    if isinstance(data, (bytes, bytearray)):
        return _LONG_RUN in data.translate(_DIGIT_MARKS)
    return _LONG_NUMBER.search(data) is not None


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


def _refuse_surrogates(value: Any) -> None:
    """Only on the stdlib path: orjson refuses lone surrogates itself."""
    stack: list[tuple[Any, tuple]] = [(value, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, str):
            if _has_surrogate(node):
                raise JsonRefused("a lone UTF-16 surrogate escape (such as \\ud800) is not a character",
                                  field_path(path))
        elif isinstance(node, dict):
            for key, child in node.items():
                if _has_surrogate(key):
                    raise JsonRefused("a lone UTF-16 surrogate escape is not a character", field_path(path))
                stack.append((child, path + (key,)))
        elif isinstance(node, list):
            stack.extend((child, path + (i,)) for i, child in enumerate(node))


def check_limits(value: Any, limits: Limits = DEFAULT_LIMITS) -> None:
    """Raise JsonRefused naming the first field beyond a bound. Iterative (no recursion)."""
    if _within(value, limits):
        return
    _refuse(value, limits)


def _within(value: Any, limits: Limits) -> bool:
    """Is every bound kept? _refuse's walk without the paths (only a refusal names a field): the
    path of every object and array cost ~40% of the walk that every document takes."""
    max_string, max_number, max_depth = limits.max_string, limits.max_number, limits.max_depth
    stack = [value] if isinstance(value, (dict, list)) else [[value]]
    depths = [0]
    while stack:
        node = stack.pop()
        depth = depths.pop()
        if depth >= max_depth:
            return False
        if isinstance(node, dict):
            for key in node:
                if len(key) > max_string:
                    return False
            node = node.values()
        for child in node:
            kind = type(child)
            if kind is str:
                if len(child) > max_string:
                    return False
            elif kind is dict or kind is list:
                stack.append(child)
                depths.append(depth + 1)
            elif (kind is int or kind is float) and (not math.isfinite(child) or abs(child) > max_number):
                return False
    return True


def _refuse(value: Any, limits: Limits) -> None:
    """check_limits' refusal: the walk again, naming the first field beyond a bound."""
    stack: list[tuple[Any, tuple]] = [(value, ())]
    max_string, max_number, max_depth = limits.max_string, limits.max_number, limits.max_depth
    if not isinstance(value, (dict, list)):
        stack = [([value], ())]
    while stack:
        node, path = stack.pop()
        if len(path) >= max_depth:
            raise JsonRefused(f"nested more than {max_depth} arrays or objects deep", field_path(path))
        if isinstance(node, dict):
            if any(len(key) > max_string for key in node):
                raise JsonRefused(f"a key longer than {max_string} characters", field_path(path))
            items = node.items()
        else:
            items = enumerate(node)
        for key, child in items:
            kind = type(child)
            if kind is str:
                if len(child) > max_string:
                    raise JsonRefused(f"longer than {max_string} characters", field_path(path + (key,)))
            elif kind is dict or kind is list:
                stack.append((child, path + (key,)))
            elif (kind is int or kind is float) and (not math.isfinite(child) or abs(child) > max_number):
                raise JsonRefused(f"the number is out of range (at most {max_number:g} in magnitude)",
                                  field_path(path + (key,)))


def field_path(path: tuple) -> str:
    """("epcisBody", "eventList", 3, "quantity") -> "epcisBody.eventList[3].quantity"."""
    out = ""
    if len(path) > 12:  # a hostile nesting: the start says where
        path = path[:10]
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "$"


def dumps(value: Any) -> str:
    """Compact JSON text (no spaces; non-ASCII kept as UTF-8)."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
