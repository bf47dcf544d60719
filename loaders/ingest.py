"""Load EPCIS files: parse and validate each document whole, then write it atomically."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from graph.db import Database
from loaders.epcis.document import LoadError, read_file
from loaders.epcis.writer import LoadResult, write_document

SUFFIXES = (".json", ".jsonld", ".xml")


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files as given; folders give their EPCIS files in name order."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.iterdir() if p.suffix in SUFFIXES and p.is_file()))
        elif path.exists():
            out.append(path)
        else:
            raise LoadError(str(path), "$", "no such file or folder")
    return out


def known_prefixes(db: Database) -> set[str]:
    stored = db.read("ingest/known_prefixes")[0]["prefixes"]
    return set(stored) | set(db.settings.company_prefixes)


def load_files(db: Database, files: list[Path], progress: Callable[[int], None] | None = None,
               on_result: Callable[[LoadResult], None] | None = None) -> list[LoadResult]:
    """Load files in order; the first bad document raises LoadError with nothing of it written."""
    prefixes = known_prefixes(db)
    results = []
    for path in files:
        doc = read_file(path, prefixes)
        result = write_document(db, doc, progress)
        prefixes |= doc.prefixes
        results.append(result)
        if on_result:
            on_result(result)
    return results
