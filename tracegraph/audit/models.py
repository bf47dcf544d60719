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
    v: int | None = None  # record format: 2 hashes every property; absent = version 1
    public_key: str | None = None  # key rotation only: the incoming key (hex)
    key_proof: str | None = None  # key rotation only: the incoming key's signature of its place
    hash: str | None = None
    signature: str | None = None


class VerifyReport(BaseModel):
    ok: bool
    records: int
    checked: int = 0
    first_bad: int | float | str | None = None  # sequence number of the first bad record
    # missing | inserted | broken-link | altered | bad-signature | untrusted-key | bad-checkpoint | unanchored
    kind: str | None = None
    detail: str
    head_seq: int | None = None  # the verified head, when ok
    head_hash: str | None = None
    key_id: str | None = None  # the key the chain trusts now (SHA-256 of its public key)
    checkpoints: int = 0  # checkpoints read (each was checked against the chain)
    latest_checkpoint: int | None = None  # the highest sequence number a checkpoint holds
