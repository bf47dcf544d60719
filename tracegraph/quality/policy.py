"""Load the data-quality policy (YAML or TOML) and validate it whole."""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from tracegraph.quality.errors import InvalidPolicy
from tracegraph.quality.models import QualityPolicy

DEFAULT = Path(__file__).with_name("default_policy.yaml")


def parse(text: str, source: str) -> QualityPolicy:
    try:
        data = tomllib.loads(text) if source.endswith(".toml") else yaml.safe_load(text)
    except (yaml.YAMLError, tomllib.TOMLDecodeError) as exc:
        raise InvalidPolicy(f"{source}: not valid {'TOML' if source.endswith('.toml') else 'YAML'}: {exc}") from exc
    try:
        return QualityPolicy.model_validate(data or {})
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in err["loc"])
        raise InvalidPolicy(f"{source}: {where}: {err['msg']}", field=where) from exc


@lru_cache(maxsize=8)
def _cached(path: str, mtime: float) -> QualityPolicy:
    try:
        text = Path(path).read_text()
    except OSError as exc:
        raise InvalidPolicy(f"{path}: cannot read the quality policy: {exc.strerror}") from exc
    return parse(text, path)


def load(path: Path | None = None) -> QualityPolicy:
    """The policy at `path` (default: the packaged one), re-read when the file changes."""
    path = Path(path or DEFAULT)
    try:
        mtime = path.stat().st_mtime
    except OSError as exc:
        raise InvalidPolicy(f"{path}: cannot read the quality policy: {exc.strerror}") from exc
    return _cached(str(path), mtime)
