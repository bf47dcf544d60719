"""Checks on user-supplied serial-format patterns, shared by the policy file and master data."""
from __future__ import annotations

import re


def valid_regex(value: str | None) -> str | None:
    """The pattern unchanged, or ValueError saying why it does not compile."""
    if value is not None:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from exc
    return value
