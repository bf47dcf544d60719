"""Streams events into `part-NNNNN.json` EPCIS 2.0 documents, one event per line."""
from __future__ import annotations

import json
from pathlib import Path

CONTEXT = ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld", {"tg": "https://tracegraph.dev/mda#"}]

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode


class PartWriter:
    """Writes each event as soon as it is given; a file is closed after
    `events_per_file` events and the next one opened on the next write."""

    def __init__(self, out_dir: Path, events_per_file: int, creation_date: str, vocabularies: list[dict]):
        if events_per_file < 1:
            raise ValueError("events_per_file must be at least 1")
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        # A previous, longer run would otherwise leave stale parts behind.
        for old in self.out_dir.glob("part-*.json"):
            old.unlink()
        self.per_file = events_per_file
        self.head = (f'{{"@context":{_dumps(CONTEXT)},"type":"EPCISDocument","schemaVersion":"2.0",'
                     f'"creationDate":"{creation_date}",')
        self.master = _header(vocabularies)
        self.files = 0
        self.events = 0
        self._fh = None
        self._in_file = 0

    def _open(self) -> None:
        path = self.out_dir / f"part-{self.files:05d}.json"
        self._fh = open(path, "w", encoding="utf-8", newline="\n", buffering=1 << 20)
        self._fh.write(self.head)
        if self.files == 0:
            self._fh.write(self.master)
        self._fh.write('"epcisBody":{"eventList":[\n')
        self.files += 1
        self._in_file = 0

    def _close(self) -> None:
        self._fh.write("\n]}}\n")
        self._fh.close()
        self._fh = None

    def write_line(self, line: str) -> None:
        """Adds one event already serialised as a JSON object."""
        if self._fh is None:
            self._open()
        elif self._in_file == self.per_file:
            self._close()
            self._open()
        self._fh.write(line if self._in_file == 0 else ",\n" + line)
        self._in_file += 1
        self.events += 1

    def close(self) -> int:
        """Finishes the last file (writes an empty part-00000 if there were no events)."""
        if self._fh is None and self.files == 0:
            self._open()
        if self._fh is not None:
            self._close()
        return self.files


def _header(vocabularies: list[dict]) -> str:
    parts = []
    for v in vocabularies:
        elements = ",\n".join(_dumps(e) for e in v["vocabularyElementList"])
        parts.append(f'{{"type":"{v["type"]}","vocabularyElementList":[\n{elements}\n]}}')
    return '"epcisHeader":{"epcisMasterData":{"vocabularyList":[\n' + ",\n".join(parts) + "\n]}},\n"


def dumps(obj) -> str:
    return _dumps(obj)
