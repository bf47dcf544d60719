"""Rows of a CSV/Excel export → one EPCIS 2.0 document of canonical events.

Events get stable IDs (uuid5 of their content), so re-loading a file is a no-op;
the document then goes through the same parser and writer as EPCIS captures.
"""
from __future__ import annotations

import hashlib
import json
import uuid
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd

from core.errors import TracegraphError
from core.identifiers import IdentifierError, to_epc_urn
from loaders.csv.mapping import Column, Mapping
from loaders.epcis.document import Document, LoadError, parse_document

CONTEXT = ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld", {"tg": "https://tracegraph.dev/epcis#"}]
_NS = uuid.UUID("8b4f2c9e-2d0a-4a57-bb0c-6f1e5a3d9c10")
MAX_LISTED = 200


class InvalidCsv(TracegraphError):
    status = 422
    slug = "invalid-csv"
    title = "Invalid CSV data"


@dataclass
class RowError(Exception):
    column: str
    reason: str


def read_table(path: Path, mapping: Mapping, source: str) -> pd.DataFrame:
    """Every cell as text (GTINs keep their leading zeros)."""
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            frame = pd.read_excel(path, sheet_name=mapping.sheet or 0, dtype=str)
        else:
            frame = pd.read_csv(path, sep=mapping.delimiter, encoding=mapping.encoding, dtype=str,
                                keep_default_na=False, skipinitialspace=True)
    except FileNotFoundError as exc:
        raise InvalidCsv(f"{source}: no such file", field="file") from exc
    except (OSError, ValueError, UnicodeDecodeError, LookupError, pd.errors.ParserError, zipfile.BadZipFile,
            KeyError) as exc:  # KeyError, BadZipFile: a broken .xlsx
        raise InvalidCsv(f"{source}: cannot read as a table: {exc}", field="file") from exc
    frame = frame.fillna("")
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = sorted(mapping.columns() - set(frame.columns))
    if missing:
        raise InvalidCsv(f"{source}: column(s) the mapping {mapping.name!r} needs are missing: {', '.join(missing)}",
                         field=missing[0], missing=missing)
    return frame


class Builder:
    def __init__(self, mapping: Mapping, prefixes: set[str]):
        self.m = mapping
        self.prefixes = prefixes
        self.zone = ZoneInfo(mapping.timezone)

    def text(self, spec: Column | None, row: dict, name: str, required: bool = False) -> str | None:
        if spec is None:
            if required:
                raise RowError(name, "not mapped")
            return None
        value = spec.value if spec.value is not None else str(row.get(spec.column, "")).strip()
        if value == "" and spec.default is not None:
            value = spec.default
        value = spec.map.get(value, value)
        if value == "":
            if required:
                raise RowError(spec.column or name, "is empty")
            return None
        return spec.prefix + value

    def identifier(self, spec: Column | None, row: dict, name: str, required: bool = False) -> str | None:
        value = self.text(spec, row, name, required)
        if value is None:
            return None
        form = {"gln": f"(414){value}", "pgln": f"(417){value}", "sscc": f"(00){value}",
                "gtin": f"(01){value.zfill(14)}"}.get(spec.scheme, value) if value.isdigit() else value
        try:
            return to_epc_urn(form, company_prefixes=self.prefixes)
        except IdentifierError as exc:
            raise RowError(spec.column or name, str(exc)) from exc

    def time(self, row: dict) -> tuple[str, str]:
        value = self.text(self.m.time, row, "time", required=True)
        col = self.m.time.column or "time"
        try:
            parsed = datetime.strptime(value, self.m.time.format) if self.m.time.format \
                else datetime.fromisoformat(value)
        except ValueError as exc:
            want = self.m.time.format or "ISO 8601"
            raise RowError(col, f"{value!r} is not a time in the format {want}") from exc
        if parsed.tzinfo is None:
            parsed = self._localise(parsed, col, value)
        offset = parsed.utcoffset()
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        tz = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        return parsed.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"), tz

    def _localise(self, naive: datetime, col: str, value: str) -> datetime:
        early, late = naive.replace(tzinfo=self.zone, fold=0), naive.replace(tzinfo=self.zone, fold=1)
        if early.astimezone(UTC).astimezone(self.zone).replace(tzinfo=None) != naive:
            raise RowError(col, f"{value!r} does not exist in {self.m.timezone} (clocks go forward)")
        if early.utcoffset() != late.utcoffset():
            raise RowError(col, f"{value!r} happens twice in {self.m.timezone} (clocks go back); "
                                "give the UTC offset")
        return early

    def date(self, spec: Column | None, row: dict, name: str) -> str | None:
        value = self.text(spec, row, name)
        if value is None:
            return None
        try:
            return (datetime.strptime(value, spec.format).date() if spec.format else date.fromisoformat(value)) \
                .isoformat()
        except ValueError as exc:
            raise RowError(spec.column or name, f"{value!r} is not a date in the format "
                                                f"{spec.format or 'YYYY-MM-DD'}") from exc

    def thing(self, row: dict) -> tuple[str, str, float | None, str | None]:
        """(role list, EPC URN, quantity, uom): a serial, or a lot with a quantity."""
        m = self.m
        if m.epc is not None:
            urn = self.identifier(m.epc, row, "epc", required=True)
        else:
            gtin = self.text(m.gtin, row, "gtin", required=True)
            serial, lot = self.text(m.serial, row, "serial"), self.text(m.lot, row, "lot")
            if not gtin.isdigit():
                raise RowError(m.gtin.column or "gtin", f"{gtin!r} is not a GTIN (digits only)")
            if serial is None and lot is None:
                raise RowError((m.serial or m.lot).column or "serial", "is empty: a row needs a serial or a lot")
            form = f"(01){gtin.zfill(14)}" + (f"(21){serial}" if serial else f"(10){lot}")
            try:
                urn = to_epc_urn(form, company_prefixes=self.prefixes)
            except IdentifierError as exc:
                raise RowError(m.gtin.column or "gtin", str(exc)) from exc
        if urn.startswith("urn:epc:class:"):
            qty = self.text(m.quantity, row, "quantity")
            try:
                quantity = float(qty.replace(",", ".")) if qty is not None else None
            except ValueError as exc:
                raise RowError(m.quantity.column or "quantity", f"{qty!r} is not a number") from exc
            return "class", urn, quantity, self.text(m.uom, row, "uom")
        return "epc", urn, None, None

    def event(self, rows: list[dict]) -> dict:
        m, first = self.m, rows[0]
        when, offset = self.time(first)
        ev: dict = {"type": m.event_type, "eventTime": when, "eventTimeZoneOffset": offset, "action": m.action}
        epcs, classes = [], []
        for row in rows:
            kind, urn, quantity, uom = self.thing(row)
            if kind == "epc":
                epcs.append(urn)
            else:
                q = {"epcClass": urn}
                if quantity is not None:
                    q["quantity"] = quantity
                if uom:
                    q["uom"] = uom
                classes.append(q)
        if m.event_type == "AggregationEvent":
            ev["parentID"] = self.identifier(m.parent, first, "parent", required=True)
            ev.update({k: v for k, v in (("childEPCs", epcs), ("childQuantityList", classes)) if v})
        else:
            ev.update({k: v for k, v in (("epcList", epcs), ("quantityList", classes)) if v})
        for key, spec in (("bizStep", m.biz_step), ("disposition", m.disposition)):
            if (value := self.text(spec, first, key)) is not None:
                ev[key] = value
        for key, spec in (("readPoint", m.read_point), ("bizLocation", m.biz_location)):
            if (value := self.identifier(spec, first, key)) is not None:
                ev[key] = {"id": value}
        for key, inner, specs in (("sourceList", "source", (m.source_party, m.source_location)),
                                  ("destinationList", "destination", (m.destination_party, m.destination_location))):
            items = [{"type": kind, inner: value} for kind, spec in zip(("owning_party", "location"), specs)
                     if (value := self.identifier(spec, first, inner)) is not None]
            if items:
                ev[key] = items
        if (bt := self.text(m.biz_transaction, first, "biz_transaction")) is not None:
            ev["bizTransactionList"] = [{"type": m.biz_transaction_type, "bizTransaction": bt}]
        if (cert := self.text(m.certification, first, "certification")) is not None:
            ev["certificationInfo"] = cert
        if m.action == "ADD" and m.event_type == "ObjectEvent":
            ilmd = {k: v for k, v in (("cbvmda:lotNumber", self.text(m.lot, first, "lot")),
                                      ("cbvmda:itemExpirationDate", self.date(m.expiry, first, "expiry"))) if v}
            if ilmd:
                ev["ilmd"] = ilmd
        for key, spec in m.extensions.items():
            if (value := self.text(spec, first, key)) is not None:
                ev[key] = value
        content = json.dumps([m.name, ev], sort_keys=True, separators=(",", ":"))
        ev["eventID"] = f"urn:uuid:{uuid.uuid5(_NS, content)}"
        return ev


def build_document(path: Path, mapping: Mapping, prefixes: set[str], mapping_bytes: bytes = b"",
                   source: str | None = None) -> Document:
    """Validate every row (all errors are reported together), then parse as EPCIS."""
    source = source or str(path)
    frame = read_table(path, mapping, source)
    builder = Builder(mapping, set(prefixes) | set(mapping.company_prefixes))
    records = frame.to_dict(orient="records")
    groups: dict[tuple, list[tuple[int, dict]]] = {}
    for i, row in enumerate(records):
        key = tuple(row[c] for c in mapping.group_by) if mapping.group_by else (i,)
        groups.setdefault(key, []).append((i + 2, row))  # line 1 is the header
    events, lines, errors = [], [], []
    for members in groups.values():
        try:
            events.append(builder.event([row for _, row in members]))
            lines.append(members[0][0])
        except RowError as exc:
            errors.append({"row": members[0][0], "column": exc.column, "reason": exc.reason})
    if errors:
        first = errors[0]
        raise InvalidCsv(f"{source}: {len(errors)} row(s) refused, nothing written; first: row {first['row']}, "
                         f"column {first['column']}: {first['reason']}", field=first["column"],
                         errors=errors[:MAX_LISTED], error_count=len(errors))
    if not events:
        raise InvalidCsv(f"{source}: no data rows", field="file")
    data = {"@context": CONTEXT, "type": "EPCISDocument", "schemaVersion": "2.0",
            "creationDate": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "epcisBody": {"eventList": events}}
    digest = hashlib.sha256(mapping_bytes + b"\0" + path.read_bytes()).hexdigest()
    try:
        return parse_document(data, source, prefixes | set(mapping.company_prefixes), digest=digest)
    except LoadError as exc:
        row = lines[exc.index] if exc.index is not None and exc.index < len(lines) else None
        where = f"row {row}: " if row else ""
        raise InvalidCsv(f"{source}: {where}{exc.field}: {exc.reason}", field=exc.field, row=row) from exc
