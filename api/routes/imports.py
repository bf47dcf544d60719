"""CSV / Excel upload through a mapping: the same path as `tracegraph load --format csv`."""
import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, File, UploadFile
from pydantic import BaseModel

from api.auth import Principal, current_principal, require
from api.deps import DB, RequestId
from core.errors import PayloadTooLarge
from loaders.csv import mapping as mappings
from loaders.csv.reader import InvalidCsv
from tracegraph.capture.csv import load_document

router = APIRouter(prefix="/v1/imports", tags=["imports"], dependencies=[Depends(require("capture:write"))])


class ImportResult(BaseModel):
    source: str
    events_new: int
    events_skipped: int
    noop: bool
    findings: int


def _read(upload: UploadFile, limit: int, field: str) -> bytes:
    data = upload.file.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLarge(f"{field}: larger than {limit} bytes", field=field)
    return data


@router.post("/csv", response_model=ImportResult,
             summary="Load a CSV/Excel export with a mapping (YAML); applied whole or not at all")
def import_csv(db: DB, request_id: RequestId, file: UploadFile = File(...), mapping: UploadFile = File(...),
               principal: Principal = Depends(current_principal)) -> ImportResult:
    limit = getattr(db.settings, "capture_max_bytes", 50 * 1024 * 1024)
    mapping_bytes = _read(mapping, 1024 * 1024, "mapping")
    content = _read(file, limit, "file")
    import yaml
    try:
        spec = mappings.parse(yaml.safe_load(mapping_bytes), mapping.filename or "mapping")
    except yaml.YAMLError as exc:
        raise mappings.InvalidMapping(f"mapping: not valid YAML: {exc}", field="mapping") from exc
    suffix = Path(file.filename or "upload.csv").suffix.lower()
    if suffix not in (".csv", ".txt", ".xlsx", ".xlsm"):
        raise InvalidCsv(f"file: {file.filename!r} is not a .csv, .txt or .xlsx file", field="file")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(content)
        result = load_document(db, path, spec, mapping_bytes, source=file.filename or "upload",
                               actor=principal.id, request_id=request_id)
    return ImportResult(source=file.filename or "upload", events_new=result.events_new,
                        events_skipped=result.events_skipped, noop=result.noop,
                        findings=len(result.notes.get("quality_findings") or []))
