"""Backup and restore for Neo4j Community (no online backup tool there).

`create` reads every node and relationship in one transaction that holds the audit
chain head's lock: every write appends an audit record, so writers wait and the
snapshot is consistent while reads go on. The file is gzip JSON Lines: a header, one
line per node and per relationship, and a trailer with the counts, a content
fingerprint (independent of internal ids) and the SHA-256 of every line before it.

Every backup is followed by a signed checkpoint of the audit chain head outside the
database (tracegraph/audit/checkpoints.py).

`restore` checks the file whole, claims the empty database by setting the backup's audit
chain head first, marked `restoring` (audited writes wait for it, then are refused until
the restore is done), writes the rest in batches, checks the counts, the fingerprint and the
audit chain, and appends its own record to the chain it restored.
"""
from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path

from neo4j import ManagedTransaction

from core.errors import Conflict
from graph.db import Database, run
from graph.queries import query
from tracegraph.audit import service as audit
from tracegraph.audit.errors import RestoreInProgress
from tracegraph.backup.codec import decode_props, encode_props
from tracegraph.backup.errors import BackupError
from tracegraph.backup.models import Manifest, RestoreReport

FORMAT, VERSION = "tracegraph-backup", 1
BATCH = 5000
MOD = 2 ** 256


def _line(obj) -> bytes:
    return (json.dumps(obj, separators=(",", ":"), sort_keys=True, ensure_ascii=False) + "\n").encode()


def _h(obj) -> int:
    return int.from_bytes(hashlib.sha256(_line(obj)).digest(), "big")


class Fingerprint:
    """Order- and id-independent digest of the graph: a sum of per-node and
    per-relationship hashes (a relationship hashes its end nodes' contents)."""

    def __init__(self):
        self.node_hash: dict[str, int] = {}
        self.total = 0
        self.nodes = self.relationships = 0

    def node(self, node_id: str, labels: list[str], props: dict) -> None:
        h = _h([sorted(labels), props])
        self.node_hash[node_id] = h
        self.total = (self.total + h) % MOD
        self.nodes += 1

    def relationship(self, start: str, end: str, rel_type: str, props: dict) -> None:
        try:
            h = _h([format(self.node_hash[start], "x"), rel_type, props, format(self.node_hash[end], "x")])
        except KeyError as exc:
            raise BackupError(f"relationship refers to node {exc.args[0]} that is not in the backup") from None
        self.total = (self.total + h) % MOD
        self.relationships += 1

    @property
    def hex(self) -> str:
        return format(self.total, "064x")


def _walk(tx: ManagedTransaction) -> Iterator[tuple[str, list]]:
    for r in tx.run(query("backup/nodes")):
        yield "node", [r["id"], r["labels"], encode_props(r["props"])]
    for r in tx.run(query("backup/relationships")):
        yield "rel", [r["start"], r["end"], r["type"], encode_props(r["props"])]


def _feed(fp: Fingerprint, kind: str, row: list) -> None:
    if kind == "node":
        fp.node(*row)
    else:
        fp.relationship(*row)


def create(db: Database, path: Path, progress: Callable[[int], None] | None = None) -> Manifest:
    tmp = path.with_name(path.name + ".partial")

    def work(tx: ManagedTransaction) -> Manifest:
        head = run(tx, "backup/lock", genesis=audit.GENESIS, now=audit.utc_stamp())[0]
        if head["restoring"]:
            raise RestoreInProgress("a restore is in progress; back up when it is done")
        digest, fp = hashlib.sha256(), Fingerprint()
        created = audit.utc_stamp()
        with gzip.open(tmp, "wb", compresslevel=6) as out:
            for obj in [{"format": FORMAT, "version": VERSION, "created": created}]:
                line = _line(obj)
                digest.update(line)
                out.write(line)
            for kind, row in _walk(tx):
                _feed(fp, kind, row)
                line = _line({kind: row})
                digest.update(line)
                out.write(line)
                if progress and (fp.nodes + fp.relationships) % 5000 == 0:
                    progress(fp.nodes + fp.relationships)
            manifest = Manifest(created=created, nodes=fp.nodes, relationships=fp.relationships,
                                fingerprint=fp.hex, sha256=digest.hexdigest(),
                                audit_seq=head["seq"], audit_hash=head["hash"])
            out.write(_line({"end": manifest.model_dump(exclude={"checkpoint"})}))
        return manifest

    manifest = db.write_tx(work)
    tmp.replace(path)
    written = audit.checkpoint_quietly(db, "backup", at=manifest.audit_seq or None)  # the snapshot's head
    manifest.checkpoint = written["seq"] if written else None
    return manifest


def _lines(path: Path) -> Iterator[dict]:
    try:
        with gzip.open(path, "rb") as fh:
            for raw in fh:
                yield raw, json.loads(raw)
    except (OSError, EOFError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BackupError(f"{path} is not a readable tracegraph backup: {exc}") from None


def check(path: Path) -> Manifest:
    """Read the whole file: header, checksum and trailer must agree, or BackupError."""
    if not path.is_file():
        raise BackupError(f"no backup file {path}", field="file")
    digest, manifest, first = hashlib.sha256(), None, True
    counts = {"node": 0, "rel": 0}
    for raw, obj in _lines(path):
        if manifest is not None:
            raise BackupError("data after the backup trailer")
        if first:
            if not isinstance(obj, dict) or obj.get("format") != FORMAT or obj.get("version") != VERSION:
                raise BackupError(f"{path} is not a {FORMAT} version {VERSION} file")
            first = False
        elif "end" in obj:
            manifest = Manifest(**obj["end"])
            continue
        else:
            kind = next(iter(obj))
            if kind not in counts:
                raise BackupError(f"unknown line kind {kind!r}")
            counts[kind] += 1
        digest.update(raw)
    if manifest is None:
        raise BackupError("the backup has no trailer: the file is truncated")
    if digest.hexdigest() != manifest.sha256:
        raise BackupError("checksum mismatch: the backup file was altered or damaged")
    if (counts["node"], counts["rel"]) != (manifest.nodes, manifest.relationships):
        raise BackupError("the counts in the trailer do not match the file")
    return manifest


def database_fingerprint(db: Database, skip_head: bool = False) -> Fingerprint:
    """The database's fingerprint; the chain head's `restoring` mark (a restore's own) is left out."""
    fp = Fingerprint()

    def work(tx):
        for kind, row in _walk(tx):
            if kind == "node" and "AuditHead" in row[1]:
                if skip_head:
                    continue
                row = [row[0], row[1], {k: v for k, v in row[2].items() if k != "restoring"}]
            _feed(fp, kind, row)
    db.read_tx(work)
    return fp


def _backup_head(path: Path) -> dict | None:
    for _, obj in _lines(path):
        if "node" in obj and "AuditHead" in obj["node"][1]:
            return decode_props(obj["node"][2])
        if "rel" in obj:
            return None
    return None


def _claim(db: Database, head: dict | None) -> None:
    """Mark the empty database as being restored, with the backup's chain head, in one
    transaction holding the head's lock: a write that got in first makes it refuse."""
    def work(tx: ManagedTransaction) -> None:
        found = run(tx, "backup/restore_claim", genesis=audit.GENESIS)[0]
        if found["others"] or found["seq"]:
            raise Conflict(f"restore needs an empty database; this one has {found['others'] + 1} nodes "
                           "(`tracegraph db reset --yes` empties it)")
        if head is not None:
            run(tx, "backup/restore_head", props=head)
    db.write_tx(work)


def restore(db: Database, path: Path, actor: str, request_id: str | None = None,
            progress: Callable[[int, int], None] | None = None) -> RestoreReport:
    manifest = check(path)
    total, done = manifest.nodes + manifest.relationships, 0
    counts = db.read("backup/count")[0]
    if counts["nodes"]:
        raise Conflict(f"restore needs an empty database; this one has {counts['nodes']} nodes "
                       "(`tracegraph db reset --yes` empties it)")
    head = _backup_head(path)
    _claim(db, head)
    db.run_statements("backup/restore_index")
    try:
        nodes, rels = [], []
        for _, obj in _lines(path):
            done += 1
            if progress and done % 5000 == 0:
                progress(done, total)
            if "node" in obj:
                node_id, labels, props = obj["node"]
                if "AuditHead" in labels:
                    continue  # claimed above
                nodes.append({"id": node_id, "labels": labels, "props": decode_props(props)})
                if len(nodes) >= BATCH:
                    db.write("backup/restore_nodes", rows=nodes)
                    nodes = []
            elif "rel" in obj:
                if nodes:
                    db.write("backup/restore_nodes", rows=nodes)
                    nodes = []
                start, end, rel_type, props = obj["rel"]
                rels.append({"start": start, "end": end, "type": rel_type, "props": decode_props(props)})
                if len(rels) >= BATCH:
                    db.write("backup/restore_relationships", rows=rels)
                    rels = []
        if nodes:
            db.write("backup/restore_nodes", rows=nodes)
        if rels:
            db.write("backup/restore_relationships", rows=rels)
        with db.session() as session:
            session.run(query("backup/restore_cleanup")).consume()
    finally:
        db.run_statements("backup/drop_index")
    fp = database_fingerprint(db, skip_head=head is None)
    chain = audit.verify(db)
    report = RestoreReport(manifest=manifest, nodes=fp.nodes, relationships=fp.relationships,
                           fingerprint_ok=fp.hex == manifest.fingerprint,
                           counts_ok=(fp.nodes, fp.relationships) == (manifest.nodes, manifest.relationships),
                           audit=chain)
    db.write_tx(lambda tx: audit.finish_restore(tx, actor=actor, subject=f"backup:{manifest.sha256}",
                                                after=report.model_dump(), request_id=request_id))
    return report
