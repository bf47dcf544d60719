"""Where the shared conformance data lives (never copied into the project).

CI lays `../shared` beside the clone; `TRACEGRAPH_CONFORMANCE_DIR` overrides it.
Without it the tests that need it are skipped with the reason and where to get the data;
under `CI=true` a missing folder fails instead: there these tests must run.
"""
import os
from pathlib import Path

import pytest

_default = Path(__file__).resolve().parents[1].parent / "shared" / "conformance"
CONFORMANCE = Path(os.environ.get("TRACEGRAPH_CONFORMANCE_DIR", _default))
WHERE = ("put the shared conformance data (OpenEPCIS test resources, the EPCIS JSON Schema, event-hash "
         "and GS1 vectors; see shared/conformance/SOURCES.md) at ../shared/conformance beside the clone, "
         "or set TRACEGRAPH_CONFORMANCE_DIR")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def conformance_path(*parts: str) -> Path:
    """The path under the conformance folder; a skip (or, in CI, a failure) when it is absent."""
    path = CONFORMANCE.joinpath(*parts)
    if not path.exists():
        message = f"conformance data not found at {path}: {WHERE}"
        if in_ci():
            pytest.fail(f"CI=true: {message}", pytrace=False)
        pytest.skip(message, allow_module_level=True)
    return path
