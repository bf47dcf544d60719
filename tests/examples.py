"""Hypothesis example counts of the property tests that build a database per example.

`make test` (CI) runs `ci` examples of each; TRACEGRAPH_TEST_FULL_EXAMPLES=1 (`make test-full`)
runs the `full` count. Every example still compares the service with its oracle: fewer
examples means fewer random histories per run, not a weaker check (the histories differ from
run to run, so CI explores more of them over time).
"""
from __future__ import annotations

import os

FULL_SETTING = "TRACEGRAPH_TEST_FULL_EXAMPLES"
FULL = os.environ.get(FULL_SETTING, "") not in ("", "0", "false")


def examples(full: int, ci: int) -> int:
    """The example count to run: `full` under TRACEGRAPH_TEST_FULL_EXAMPLES=1, else `ci`."""
    return full if FULL else ci
