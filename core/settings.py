"""Settings from the environment (prefix TRACEGRAPH_) or a `.env` file."""
from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRACEGRAPH_", env_file=".env", extra="ignore")

    neo4j_uri: str = "bolt://127.0.0.1:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: str = "tracegraph"
    neo4j_database: str = "neo4j"
    lookup_workers: int = Field(2, ge=1, le=64)  # threads answering coalesced verify lookups

    # The local launcher (`tracegraph neo4j start`).
    neo4j_home: Path = Path(".tracegraph/neo4j")
    neo4j_bolt_port: int = Field(7687, ge=1, le=65535)
    neo4j_version: str = "5.26.30"
    neo4j_heap: str = "2g"
    neo4j_pagecache_mb: int = Field(1024, ge=16)
    # More JVM options for it, split as a shell would. The parallel collector: on 2 cores it ran
    # ingest ~8% and single-serial reads ~10% faster than G1, Neo4j's usual one (docs/benchmarks.md).
    neo4j_jvm_options: str = "-XX:+UseParallelGC"
    neo4j_start_timeout: float = 120.0
    cache_dir: Path = Path.home() / ".cache" / "tracegraph"

    # GS1 company prefixes known up front; more are learnt from loaded EPC URNs.
    company_prefixes: list[str] = []

    # Security (issue #6): audit signing key, OAuth2 bearer JWTs, API keys, request limits.
    audit_key_path: Path = Path(".tracegraph/keys/audit-ed25519.pem")  # 0600, outside the database
    # Signed checkpoints of the audit chain head (issue 20): another directory than the key's,
    # ideally other storage; written every N seconds while the head moves, on backup and shutdown.
    audit_checkpoint_dir: Path = Path(".tracegraph/audit-checkpoints")
    audit_checkpoint_seconds: float = Field(300.0, gt=0)
    audit_witness_url: str | None = None  # each checkpoint is also POSTed here (a second copy)
    audit_trusted_key: str | None = None  # hex Ed25519 public key of record 1, pinned by config
    jwt_key: str | None = None  # HMAC secret or PEM public key; unset = JWTs refused
    jwt_algorithms: list[str] = ["RS256"]
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    api_key_cache_seconds: float = Field(5.0, ge=0)  # revocation elsewhere takes effect within this
    rules_sweep_page: int = Field(50_000, ge=1)  # items per read transaction in a full rules sweep
    prefix_cache_seconds: float = Field(5.0, ge=0)  # known company prefixes, for Digital Link lookups
    max_request_bytes: int = Field(16 * 1024 * 1024, ge=1024)
    partner_rate_per_minute: int = Field(600, ge=1)
    partner_rate_burst: int = Field(60, ge=1)
    # a partner's "not found" is answered no sooner than this, so an unknown serial and another
    # party's serial (more work in the database) take the same time (issue 20)
    partner_not_found_seconds: float = Field(0.025, ge=0)
    esign_required: bool = True  # hold release and alert closure need an e-signature (21 CFR 11)
    # Console sessions (issue 15): HMAC key for the session cookie (made on first start), its
    # lifetime, and Secure on the cookie (only switch off behind plain-HTTP test set-ups).
    session_key_path: Path = Path(".tracegraph/keys/session.key")
    session_hours: float = Field(8.0, gt=0, le=24 * 30)
    session_cookie_secure: bool = True

    # Data-quality policy (issue 3): YAML or TOML; unset = tracegraph/quality/default_policy.yaml.
    quality_policy: Path | None = None

    write_batch_size: int = Field(2000, ge=1)

    # Rules, alerts and holds (issue 5): an optional rules config file over the packaged
    # defaults, and signed webhook delivery (HMAC-SHA256 key, retries with backoff).
    rules_config: Path | None = None
    webhook_secret: str | None = None
    webhook_max_attempts: int = Field(5, ge=1, le=20)
    webhook_backoff_seconds: float = Field(1.0, ge=0)
    webhook_timeout_seconds: float = Field(5.0, gt=0)

    # Recall campaign notices (issue 14): e-mail over SMTP (TRACEGRAPH_SMTP_*) and a signed
    # webhook (signed with webhook_secret); each channel retried with exponential backoff.
    smtp_host: str | None = None  # unset: no e-mail
    smtp_port: int = Field(25, ge=1, le=65535)
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "recalls@tracegraph.invalid"
    smtp_starttls: bool = False
    smtp_timeout_seconds: float = Field(10.0, gt=0)
    recall_webhook_url: str | None = None  # unset: no webhook
    recall_delivery_attempts: int = Field(4, ge=1, le=20)
    recall_delivery_backoff_seconds: float = Field(1.0, ge=0)
    public_url: str = "http://localhost:8000"  # where reply forms point

    # EPCIS capture (issue 3): the JSON Schema file (default ../shared/conformance/epcis-schema),
    # the largest capture body accepted, and whether XML element order is enforced (off: valid
    # OpenEPCIS documents such as JumbledFieldsOrder.xml break it).
    epcis_schema: Path | None = None
    capture_max_bytes: int = Field(50 * 1024 * 1024, ge=1024)
    xml_strict_order: bool = False
    # EPCIS query interface (issue 19): most events one capture may hold (GS1-Capture-Limit),
    # and how often the subscription dispatcher looks for new results besides capture wake-ups.
    capture_max_events: int = Field(100_000, ge=1)
    subscription_poll_seconds: float = Field(1.0, gt=0)

    # Investigations and CAPA (issue 14): evidence files stored on disk by SHA-256 (metadata in
    # Neo4j), the largest one accepted, the content types accepted, and root-cause categories
    # (a YAML list in root_cause_categories_file, when set, replaces the list here).
    evidence_dir: Path = Path(".tracegraph/evidence")
    evidence_max_bytes: int = Field(10 * 1024 * 1024, ge=1)
    evidence_content_types: list[str] = [
        "application/pdf", "image/png", "image/jpeg", "text/plain", "text/csv", "application/json",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"]
    root_cause_categories: list[str] = [
        "design", "material", "supplier", "manufacturing_process", "equipment", "sterilization",
        "packaging", "labeling", "storage_transport", "software", "human_error", "use_error",
        "no_fault_found", "other"]
    root_cause_categories_file: Path | None = None

    # Durable jobs (issue 18): capture, rule sweeps and webhook sends run from Job nodes in Neo4j,
    # taken with a lease by `tracegraph worker` processes or by the API's own worker thread.
    inprocess_worker: bool = True  # the API runs one worker thread too (so no extra process is needed)
    job_lease_seconds: float = Field(30.0, ge=1)  # a worker silent this long is taken for dead; its job re-runs
    job_poll_seconds: float = Field(1.0, gt=0)  # how often an idle worker looks for due jobs
    job_max_attempts: int = Field(5, ge=1, le=50)  # then the job is dead (dead-letter), kept for inspection
    job_backoff_seconds: float = Field(2.0, ge=0)  # retry n waits backoff * 2^(n-1), capped at an hour

    # Observability (issue 18): JSON logs (structlog) or plain text, and the log level.
    log_format: str = Field("json", pattern="^(json|text)$")
    log_level: str = "INFO"
    # OpenTelemetry traces (api/tracing.py): off unless this (or OTEL_EXPORTER_OTLP_ENDPOINT) is set.
    otel_endpoint: str | None = None  # OTLP/HTTP, e.g. http://collector:4318 (/v1/traces is added)
    otel_service_name: str = "tracegraph"

    @model_validator(mode="after")
    def _uri_follows_port(self) -> "Settings":
        # Unless a URI is given, point at the local launcher's port.
        if "neo4j_uri" not in self.model_fields_set:
            self.neo4j_uri = f"bolt://127.0.0.1:{self.neo4j_bolt_port}"
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
