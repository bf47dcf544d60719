from pydantic import BaseModel


class AuditRecord(BaseModel):
    seq: int | float | str | None
    time: str | None
    actor: str | None
    action: str | None
    subject: str | None
    reason: str | None = None
    before_digest: str | None = None
    after_digest: str | None = None
    request_id: str | None = None
    esign_signer: str | None = None
    esign_name: str | None = None
    esign_meaning: str | None = None
    esign_time: str | None = None
    key_id: str | None = None
    prev_hash: str | None = None
    hash: str | None = None
    signature: str | None = None


class VerifyReport(BaseModel):
    ok: bool
    records: int
    checked: int = 0
    first_bad: int | float | str | None = None  # sequence number of the first bad record
    kind: str | None = None  # missing | inserted | broken-link | altered | bad-signature
    detail: str
