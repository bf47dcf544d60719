"""The local Neo4j launcher: idempotent start, clear errors."""
import socket

import pytest

from core.settings import Settings
from graph import launcher


@pytest.fixture(scope="module")
def local(neo4j_settings, tmp_path_factory):
    """The launcher-run test database, or (when tests use a container) a launcher of its own."""
    if launcher.status(neo4j_settings).running:
        yield neo4j_settings
        return
    settings = Settings(neo4j_bolt_port=7698, neo4j_home=tmp_path_factory.mktemp("neo4j"), neo4j_heap="512m",
                        neo4j_pagecache_mb=64)
    launcher.start(settings)
    yield settings
    launcher.stop(settings)


def test_start_is_idempotent(local):
    messages = []
    uri = launcher.start(local, echo=messages.append)
    assert (uri, messages[0].startswith("Neo4j already running")) == (local.neo4j_uri, True)


def test_status_reports_running(local):
    assert launcher.status(local).running


def test_neo4j_runs_with_the_configured_jvm_options(local):
    cmdline = open(f"/proc/{launcher.status(local).pid}/cmdline", "rb").read().split(b"\0")
    assert {o.encode() for o in launcher.jvm_options(local)} <= set(cmdline)


def test_the_parallel_collector_is_the_default():
    assert launcher.jvm_options(Settings()) == ["-XX:+UseParallelGC"]


def test_malformed_jvm_options_are_one_clear_error(tmp_path):
    settings = Settings(neo4j_bolt_port=1, neo4j_home=tmp_path / "n", neo4j_jvm_options='-Dx="unclosed')
    with pytest.raises(launcher.LauncherError, match="TRACEGRAPH_NEO4J_JVM_OPTIONS: No closing quotation"):
        launcher.start(settings)


def test_busy_port_is_one_clear_error(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        settings = Settings(neo4j_bolt_port=port, neo4j_home=tmp_path / "n")
        with pytest.raises(launcher.LauncherError, match=f"port {port} is busy"):
            launcher.start(settings)


def test_missing_java_is_one_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    settings = Settings(neo4j_bolt_port=1, neo4j_home=tmp_path / "n")
    with pytest.raises(launcher.LauncherError, match="`java` not found"):
        launcher.start(settings)


def test_stop_when_not_running_says_so(tmp_path):
    messages = []
    assert launcher.stop(Settings(neo4j_home=tmp_path / "n"), echo=messages.append) is False
    assert messages == ["Neo4j is not running"]


def test_the_shipped_pom_is_well_formed_xml():
    """Maven reads it on a fresh machine's first start; a `--` inside a comment once broke them all."""
    from importlib import resources
    from xml.etree import ElementTree
    pom = ElementTree.fromstring((resources.files("graph") / "launcher" / "pom.xml").read_bytes())
    artifacts = {node.text for node in pom.iter("{http://maven.apache.org/POM/4.0.0}artifactId")}
    assert {"neo4j", "neo4j-import-tool"} <= artifacts
