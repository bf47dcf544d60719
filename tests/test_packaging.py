"""The Docker image and compose file (issue 18 §5), checked as files: no Docker engine is
needed, and what they must say is what broke before (a package not copied, a root-owned
audit key folder, no /data volume, no worker)."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_the_image_copies_every_package_it_installs():
    packages = {p.split("*")[0] for p in re.findall(r'"(\w+)\*"', (ROOT / "pyproject.toml").read_text())}
    copied = set(re.findall(r"^COPY (\w+) \./\1$", DOCKERFILE, re.MULTILINE))
    assert packages <= copied


def test_the_audit_key_lives_where_the_image_user_may_write():
    key_dir = re.search(r"TRACEGRAPH_AUDIT_KEY_PATH=(\S+)/keys/", DOCKERFILE).group(1)
    assert (f"chown -R tracegraph:tracegraph {key_dir}" in DOCKERFILE, key_dir in DOCKERFILE.split("VOLUME")[1]) \
        == (True, True)


def test_compose_runs_api_worker_and_neo4j_with_health_checks():
    services = COMPOSE["services"]
    assert {name: "healthcheck" in services[name] for name in ("neo4j", "api", "worker")} == \
        {"neo4j": True, "api": True, "worker": True}


def test_compose_mounts_data_keys_and_the_epcis_schema():
    mounts = {next(p for p in v.split(":") if p.startswith("/")) for v in COMPOSE["services"]["api"]["volumes"]}
    assert {"/data", "/var/lib/tracegraph", "/schema"} <= mounts


def test_compose_api_leaves_jobs_to_the_worker():
    services = COMPOSE["services"]
    assert (services["api"]["environment"]["TRACEGRAPH_INPROCESS_WORKER"], services["worker"]["command"]) == \
        ("false", ["tracegraph", "worker"])
