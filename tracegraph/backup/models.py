from pydantic import BaseModel

from tracegraph.audit.models import VerifyReport


class Manifest(BaseModel):
    created: str
    nodes: int
    relationships: int
    fingerprint: str  # content digest, independent of internal ids
    sha256: str  # of every line before the trailer
    audit_seq: int | None = None  # the audit chain head in the snapshot
    audit_hash: str | None = None
    checkpoint: int | None = None  # not in the file: the checkpoint written after it (its seq)


class RestoreReport(BaseModel):
    manifest: Manifest
    nodes: int
    relationships: int
    counts_ok: bool
    fingerprint_ok: bool
    audit: VerifyReport

    @property
    def ok(self) -> bool:
        return self.counts_ok and self.fingerprint_ok and self.audit.ok
