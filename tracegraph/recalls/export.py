"""Scope exports as byte streams: detail rows are built a chunk at a time, so the
memory they take does not grow with the scope (the per-serial index does, a little)."""
from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterator

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

from graph.db import Database
from tracegraph.recalls import service
from tracegraph.recalls.enums import ExportFormat
from tracegraph.recalls.service import Scope

CHUNK = 2000
SERIAL_COLUMNS = ["epc", "gtin", "product", "product_line", "lot", "status", "disposition", "site", "site_name",
                  "custodian", "custodian_name", "container", "path"]
CONSIGNEE_COLUMNS = ["party_name", "party", "site_name", "site", "address", "country_code", "contact", "region",
                     "channel", "quantity", "last_shipment"]
MEDIA = {ExportFormat.csv: "text/csv", ExportFormat.consignees: "text/csv", ExportFormat.json: "application/json",
         ExportFormat.xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _flat(row: dict) -> dict:
    out = dict(row)
    if "path" in out:
        out["path"] = " > ".join(out["path"])
    if "status" in out and hasattr(out["status"], "value"):
        out["status"] = out["status"].value
    return out


def serial_dicts(db: Database, scope: Scope) -> Iterator[dict]:
    for i in range(0, len(scope.serials), CHUNK):
        for row in service.serial_rows(db, scope, scope.serials[i:i + CHUNK]):
            yield row.model_dump(mode="json")


def _csv_lines(columns: list[str], rows) -> Iterator[bytes]:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for n, row in enumerate(rows, 1):
        writer.writerow(_flat(row))
        if n % 500 == 0:
            yield buf.getvalue().encode()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue().encode()


def csv_stream(db: Database, scope: Scope) -> Iterator[bytes]:
    return _csv_lines(SERIAL_COLUMNS, serial_dicts(db, scope))


def consignee_stream(scope: Scope) -> Iterator[bytes]:
    people = service.consignees(service.tally(scope))
    return _csv_lines(CONSIGNEE_COLUMNS, (c.model_dump(mode="json") for c in people))


def json_stream(db: Database, scope: Scope) -> Iterator[bytes]:
    t = service.tally(scope)
    people = service.consignees(t)
    head = {"as_of": scope.request.as_of.isoformat() if scope.request.as_of else None,
            "summary": service.summary(t, len(people)).model_dump(mode="json"),
            "aggregations": service.aggregations(t).model_dump(mode="json"),
            "cycles": scope.closure.cycles(),
            "consignees": [c.model_dump(mode="json") for c in people]}
    yield json.dumps(head)[:-1].encode() + b', "serials": ['
    for n, row in enumerate(serial_dicts(db, scope)):
        yield (b"," if n else b"") + json.dumps(row).encode()
    yield b"]}"


def _sheet(wb: Workbook, title: str, columns: list[str], rows, widths: dict[str, int]) -> None:
    ws = wb.create_sheet(title)
    ws.freeze_panes = "A2"
    for i, col in enumerate(columns):
        ws.column_dimensions[chr(ord("A") + i)].width = widths.get(col, 18)
    bold, fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1F4E78")
    header = []
    for col in columns:
        cell = WriteOnlyCell(ws, value=col.replace("_", " ").title())
        cell.font, cell.fill, cell.alignment = bold, fill, Alignment(vertical="center")
        header.append(cell)
    ws.append(header)
    for row in rows:
        flat = _flat(row)
        ws.append([flat.get(c) for c in columns])


def xlsx_stream(db: Database, scope: Scope) -> Iterator[bytes]:
    """One sheet per view. openpyxl's write-only mode keeps rows on disk, not in memory."""
    t = service.tally(scope)
    people = service.consignees(t)
    summary = service.summary(t, len(people))
    aggs = service.aggregations(t)
    wb = Workbook(write_only=True)
    counts = [{"what": k, "count": v} for k, v in summary.model_dump(mode="json").items() if k != "by_status"]
    counts += [{"what": f"status: {k}", "count": v} for k, v in summary.model_dump(mode="json")["by_status"].items()]
    _sheet(wb, "Summary", ["what", "count"], counts, {"what": 34, "count": 12})
    wide = {"epc": 44, "lot": 44, "site": 34, "path": 90, "custodian": 34, "party": 34, "address": 40,
            "site_name": 30, "party_name": 30, "custodian_name": 30}
    _sheet(wb, "Serials", SERIAL_COLUMNS, serial_dicts(db, scope), wide)
    _sheet(wb, "Consignees", CONSIGNEE_COLUMNS, (c.model_dump(mode="json") for c in people), wide)
    agg_rows = [{"aggregation": name, "key": k, "serials": v}
                for name, values in aggs.model_dump().items() for k, v in sorted(values.items())]
    _sheet(wb, "Aggregations", ["aggregation", "key", "serials"], agg_rows, {"aggregation": 20, "key": 40})
    with tempfile.TemporaryFile() as tmp:
        wb.save(tmp)
        tmp.seek(0)
        while chunk := tmp.read(1 << 16):
            yield chunk


def stream(db: Database, scope: Scope, fmt: ExportFormat) -> Iterator[bytes]:
    if fmt == ExportFormat.csv:
        return csv_stream(db, scope)
    if fmt == ExportFormat.consignees:
        return consignee_stream(scope)
    if fmt == ExportFormat.json:
        return json_stream(db, scope)
    return xlsx_stream(db, scope)
