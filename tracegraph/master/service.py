"""Read and write versioned master data. Every write is one transaction with its audit records."""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import yaml
from pydantic import ValidationError

from core.errors import InvalidIdentifier, NotFound
from core.identifiers import parse_epc_urn
from graph.db import Database, run
from tracegraph.audit import service as audit
from tracegraph.identity import canonical_epc
from tracegraph.master.errors import InvalidMasterData
from tracegraph.master.models import (
    KEYS,
    MODELS,
    Change,
    PutResult,
    Relationship,
    RelationshipOut,
    Version,
    Versioned,
)

KINDS = ("products", "parties", "sites", "relationships")
# Which identifier kind each reference field must be.
_REFS = {"parties": {"epc": "party"}, "sites": {"epc": "location", "owner": "party"},
         "products": {"manufacturer": "party"}, "relationships": {"from_party": "party", "to_party": "party"}}


def _native(value):
    if isinstance(value, dict):
        return {k: _native(v) for k, v in value.items()}
    return value.to_native() if hasattr(value, "to_native") else value


def _canonical(db: Database, kind: str, index: int, record) -> None:
    for name, wanted in _REFS[kind].items():
        value = getattr(record, name)
        if value is None:
            continue
        where = f"{kind}[{index}].{name}"
        urn = canonical_epc(db, value, where)
        got = parse_epc_urn(urn).kind
        if got != wanted:
            raise InvalidIdentifier(f"{where}: {value!r} is a {got} identifier; expected a {wanted} "
                                    f"({'PGLN' if wanted == 'party' else 'SGLN'})", field=where)
        setattr(record, name, urn)


def validate(db: Database, kind: str, records: list) -> list:
    """Records as models (dicts are validated), identifiers made canonical; the first
    problem raises, naming the record index and field."""
    model = Relationship if kind == "relationships" else MODELS[kind]
    out = []
    for i, raw in enumerate(records):
        try:
            record = raw if isinstance(raw, model) else model.model_validate(raw)
        except ValidationError as exc:
            err = exc.errors(include_url=False)[0]
            where = ".".join(str(p) for p in (kind, i, *err["loc"]))
            raise InvalidMasterData(f"{where}: {err['msg'].removeprefix('Value error, ')}", field=where) from exc
        _canonical(db, kind, i, record)
        out.append(record)
    return out


def _put_tx(tx, kind: str, records: list, actor: str, source: str, request_id: str | None,
            at: datetime) -> list[Change]:
    if kind == "relationships":
        rows = [dict(r.model_dump(), valid_from=r.valid_from or at) for r in records]
        result = run(tx, "master/put_relationships", rows=rows, at=at, actor=actor, source=source)
        changes = []
        for row, res in zip(rows, result):
            key = f"{res['from_party']}->{res['to_party']}"
            if res["changed"]:
                audit.record(tx, actor=actor, action="master.relationships.put", subject=key,
                             before=[_native(b) for b in res["before"]], after=_native(row), request_id=request_id)
            changes.append(Change(key=key, changed=res["changed"]))
        return changes
    key = KEYS[kind]
    rows = [{"key": getattr(r, key), "props": r.model_dump(exclude={key})} for r in records]
    changes = []
    for res in run(tx, f"master/put_{kind}", rows=rows, at=at, actor=actor, source=source):
        if res["changed"]:
            audit.record(tx, actor=actor, action=f"master.{kind}.put", subject=res["key"],
                         before=_native(res["before"]), after=_native(res["after"]), request_id=request_id)
        changes.append(Change(key=res["key"], changed=res["changed"]))
    return changes


def put(db: Database, batches: dict[str, list], actor: str = "system", source: str = "api",
        request_id: str | None = None) -> PutResult:
    """Upsert records of one or more kinds in ONE transaction (all or nothing)."""
    checked = {kind: validate(db, kind, records) for kind, records in batches.items()}
    at = datetime.now(UTC)

    # The company prefixes these URNs show let later GLN / Digital Link input be read.
    prefixes = sorted({parse_epc_urn(getattr(r, name)).company_prefix for kind, records in checked.items()
                       for r in records for name in _REFS[kind] if getattr(r, name, None)})

    def work(tx) -> list[Change]:
        run(tx, "ingest/prefixes", prefixes=prefixes)
        changes = []
        for kind in KINDS:  # parties before the sites and relationships that name them
            if checked.get(kind):
                changes += _put_tx(tx, kind, checked[kind], actor, source, request_id, at)
        return changes

    changes = db.write_tx(work)
    changed = sum(c.changed for c in changes)
    return PutResult(changed=changed, unchanged=len(changes) - changed, records=changes)


def listing(db: Database, kind: str, key: str | None = None, at: datetime | None = None,
            limit: int = 100, offset: int = 0) -> list[Versioned]:
    rows = db.read(f"master/list_{kind}", key=key, at=at, limit=limit, offset=offset)
    return [Versioned(record=_native(r["record"]), versions=r["versions"]) for r in rows]


def history(db: Database, kind: str, key: str) -> list[Version]:
    rows = db.read(f"master/history_{kind}", key=key)
    if not rows:
        raise NotFound(f"no {kind[:-1] if kind != 'parties' else 'party'} {key} with master data", field="id")
    out = []
    for r in rows:
        v = _native(r["version"])
        meta = {k: v.pop(k, None) for k in ("valid_from", "valid_to", "changed_by", "source")}
        out.append(Version(**meta, record=v))
    return out


def relationships(db: Database, party: str | None = None, at: datetime | None = None, history: bool = False,
                  limit: int = 100, offset: int = 0) -> list[RelationshipOut]:
    rows = db.read("master/list_relationships", party=party, at=at, history=history, limit=limit, offset=offset)
    return [RelationshipOut(from_party=r["from_party"], to_party=r["to_party"], **_native(r["props"]))
            for r in rows]


def read_file(path: Path, kind: str | None = None) -> dict[str, list[dict]]:
    """YAML (`{products: [...], parties: [...], sites: [...], relationships: [...]}`) or a
    CSV of one kind (header = field names; `products` of a relationship separated by `|`)."""
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            data = yaml.safe_load(path.read_text()) or {}
            if not isinstance(data, dict) or set(data) - set(KINDS):
                raise InvalidMasterData(f"{path}: a master data YAML file is a mapping with keys "
                                        f"{', '.join(KINDS)}")
            return {k: list(v or []) for k, v in data.items() if kind is None or k == kind}
        if kind not in KINDS:
            raise InvalidMasterData(f"{path}: say which kind of master data a CSV file holds "
                                    f"({', '.join(KINDS)})", field="kind")
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, yaml.YAMLError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InvalidMasterData(f"{path}: cannot read: {exc}") from exc
    records = []
    for row in frame.to_dict(orient="records"):
        record = {k.strip(): (v.strip() or None) for k, v in row.items()}
        if kind == "relationships" and record.get("products"):
            record["products"] = [p.strip() for p in record["products"].split("|") if p.strip()]
        records.append({k: v for k, v in record.items() if v is not None})
    return {kind: records}
