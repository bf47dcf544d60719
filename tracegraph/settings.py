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

    # The local launcher (`tracegraph neo4j start`).
    neo4j_home: Path = Path(".tracegraph/neo4j")
    neo4j_bolt_port: int = Field(7687, ge=1, le=65535)
    neo4j_version: str = "5.26.30"
    neo4j_heap: str = "2g"
    neo4j_pagecache_mb: int = Field(1024, ge=16)
    neo4j_start_timeout: float = 120.0
    cache_dir: Path = Path.home() / ".cache" / "tracegraph"

    # GS1 company prefixes known up front; more are learnt from loaded EPC URNs.
    company_prefixes: list[str] = []

    trace_max_depth: int = Field(20, ge=1, le=100)
    write_batch_size: int = Field(2000, ge=1)

    @model_validator(mode="after")
    def _uri_follows_port(self) -> "Settings":
        # Unless a URI is given, point at the local launcher's port.
        if "neo4j_uri" not in self.model_fields_set:
            self.neo4j_uri = f"bolt://127.0.0.1:{self.neo4j_bolt_port}"
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
