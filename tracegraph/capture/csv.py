"""Load a CSV/Excel file through a mapping: one document, applied whole or not at all."""
from __future__ import annotations

from pathlib import Path

from graph.db import Database
from loaders.csv import mapping as mappings
from loaders.csv.mapping import Mapping
from loaders.csv.reader import build_document
from tracegraph.capture import files as ingest
from tracegraph.capture.writer import LoadResult, write_document


def load_document(db: Database, path: Path, mapping: Mapping, mapping_bytes: bytes, source: str | None = None,
                  actor: str = "system", request_id: str | None = None) -> LoadResult:
    doc = build_document(Path(path), mapping, ingest.known_prefixes(db), mapping_bytes, source=source)
    return write_document(db, doc, actor=actor, request_id=request_id)


def load_file(db: Database, path: Path, mapping_path: Path, actor: str = "system",
              request_id: str | None = None) -> LoadResult:
    return load_document(db, path, mappings.load(mapping_path), Path(mapping_path).read_bytes(),
                         actor=actor, request_id=request_id)
