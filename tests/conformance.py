"""Where the shared conformance data lives (never copied into the project).

CI lays `../shared` beside the clone; `TRACEGRAPH_CONFORMANCE_DIR` overrides it.
A missing folder is an error, not a skip: these tests must run.
"""
import os
from pathlib import Path

_default = Path(__file__).resolve().parents[1].parent / "shared" / "conformance"
CONFORMANCE = Path(os.environ.get("TRACEGRAPH_CONFORMANCE_DIR", _default))


def conformance_path(*parts: str) -> Path:
    path = CONFORMANCE.joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(
            f"conformance data not found at {path}; put shared/ beside the clone "
            "or set TRACEGRAPH_CONFORMANCE_DIR"
        )
    return path
