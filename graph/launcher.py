"""Run Neo4j 5.26 Community locally, without Docker.

Maven resolves `org.neo4j:neo4j` (the embedded DBMS) from Maven Central into a
cache folder once; `javac` compiles a tiny launcher (launcher/Launcher.java)
that starts the DBMS with Bolt on 127.0.0.1. Later starts are offline. There is
no Python or Maven-plugin way to do this, hence this module.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import urlparse

from core.settings import Settings

MAIN_CLASS = "Launcher"


class LauncherError(RuntimeError):
    """A problem starting or stopping the local Neo4j, worded for the user."""


@dataclass
class Status:
    running: bool
    pid: int | None
    uri: str
    home: Path


def jvm_options(settings: Settings) -> list[str]:
    """The extra JVM options (`neo4j_jvm_options`); a malformed string is a clear error."""
    try:
        return shlex.split(settings.neo4j_jvm_options)
    except ValueError as exc:
        raise LauncherError(f"TRACEGRAPH_NEO4J_JVM_OPTIONS: {exc}") from exc


def _require(tool: str) -> str:
    path = shutil.which(tool)
    if not path:
        raise LauncherError(f"`{tool}` not found on PATH: install Java 17 (JDK) and Maven to run Neo4j locally")
    return path


def build_dir(settings: Settings) -> Path:
    return settings.cache_dir / f"neo4j-{settings.neo4j_version}"


def classes_dir(settings: Settings) -> Path:
    """Where this version of Launcher.java is compiled: one folder per source text, so
    checkouts with different launchers sharing the jar cache never recompile each other's."""
    source = (resources.files("graph") / "launcher" / "Launcher.java").read_bytes()
    return build_dir(settings) / f"classes-{hashlib.sha256(source).hexdigest()[:12]}"


def ensure_built(settings: Settings, echo=print) -> Path:
    """Resolve the jars and compile the launcher once; return the cache folder."""
    root = build_dir(settings)
    classes = classes_dir(settings)
    source_text = (resources.files("graph") / "launcher" / "Launcher.java").read_text()
    stamp = classes / ".source"
    if (root / "lib").is_dir() and stamp.exists():
        return root
    mvn, javac = _require("mvn"), _require("javac")
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".fetch.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one fetch at a time (parallel test workers start together)
        _fetch(settings, root, mvn, echo)
    # compiled beside, then renamed into place: a start in another process sees all or nothing
    work = Path(tempfile.mkdtemp(prefix="launcher-", dir=root))
    try:
        (work / "Launcher.java").write_text(source_text)
        done = subprocess.run([javac, "-cp", str(root / "lib" / "*"), "-d", str(work / "out"),
                               str(work / "Launcher.java")], capture_output=True, text=True)
        if done.returncode != 0:
            raise LauncherError("could not compile the Neo4j launcher: " + done.stderr.strip()[-500:])
        (work / "out" / ".source").write_text(source_text)
        try:
            (work / "out").rename(classes)
        except OSError:  # another process compiled the same source first
            if not stamp.exists():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return root


def _fetch(settings: Settings, root: Path, mvn: str, echo) -> None:
    if (root / "lib" / ".complete").exists():
        return
    echo(f"Fetching Neo4j {settings.neo4j_version} from Maven Central (first start only)...")
    (root / "pom.xml").write_text((resources.files("graph") / "launcher" / "pom.xml").read_text())
    done = subprocess.run(
        [mvn, "-q", "-B", "dependency:copy-dependencies", f"-Dneo4j.version={settings.neo4j_version}",
         "-DoutputDirectory=lib", "-DincludeScope=runtime"],
        cwd=root, capture_output=True, text=True,
    )
    if done.returncode != 0:
        tail = (done.stdout + done.stderr).strip().splitlines()[-5:]
        raise LauncherError("Maven could not fetch Neo4j: " + " | ".join(tail))
    (root / "lib" / ".complete").touch()


def _pid_file(settings: Settings) -> Path:
    return settings.neo4j_home / "neo4j.pid"


def is_local(settings: Settings) -> bool:
    """Is the configured Neo4j this launcher's, running here (whose store folder can be imported into)?"""
    uri = urlparse(settings.neo4j_uri)
    return uri.hostname in ("127.0.0.1", "localhost") and uri.port == settings.neo4j_bolt_port \
        and _pid_file(settings).exists()


def _log_file(settings: Settings) -> Path:
    return settings.neo4j_home / "neo4j.log"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child still answers kill(0); treat it as gone.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return True


def _read_pid(settings: Settings) -> int | None:
    try:
        pid = int(_pid_file(settings).read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if _alive(pid) else None


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _bolt_uri(settings: Settings) -> str:
    return f"bolt://127.0.0.1:{settings.neo4j_bolt_port}"


def status(settings: Settings) -> Status:
    pid = _read_pid(settings)
    return Status(pid is not None, pid, _bolt_uri(settings), settings.neo4j_home)


def _log_since(settings: Settings, offset: int) -> str:
    with open(_log_file(settings), "rb") as f:
        f.seek(offset)
        return f.read().decode(errors="replace")


def _wait_ready(settings: Settings, exited: Callable[[], bool], log_offset: int, deadline: float) -> None:
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

    while time.monotonic() < deadline:
        if exited():
            tail = _log_since(settings, log_offset).strip().splitlines()[-8:]
            raise LauncherError("Neo4j exited during start-up: " + " | ".join(tail))
        # READY is printed after the password is set: before it, Bolt may refuse us.
        if "READY" in _log_since(settings, log_offset) and _port_open(settings.neo4j_bolt_port):
            try:
                with GraphDatabase.driver(_bolt_uri(settings),
                                          auth=(settings.neo4j_user, settings.neo4j_password)) as driver:
                    driver.verify_connectivity()
                    return
            except AuthError as exc:
                raise LauncherError(f"Neo4j is up but refused the configured password: {exc.message}") from exc
            except (ServiceUnavailable, Neo4jError, OSError):
                pass
        time.sleep(0.5)
    raise LauncherError(f"Neo4j did not answer on Bolt within {settings.neo4j_start_timeout:.0f} s; "
                        f"see {_log_file(settings)}")


def start(settings: Settings, echo=print, port_setting: str = "TRACEGRAPH_NEO4J_BOLT_PORT") -> str:
    """Start Neo4j (idempotent) and return the Bolt URI once it answers. `port_setting` is the
    setting a caller's user changes to move the port (the tests have their own), named in errors."""
    current = status(settings)
    if current.running:
        echo(f"Neo4j already running (pid {current.pid}) at {current.uri}")
        return current.uri
    options = jvm_options(settings)
    java = _require("java")
    if _port_open(settings.neo4j_bolt_port):
        raise LauncherError(
            f"port {settings.neo4j_bolt_port} is busy (another process listens on it); "
            f"stop it or set {port_setting} to a free port"
        )
    root = ensure_built(settings, echo)
    home = settings.neo4j_home.resolve()
    home.mkdir(parents=True, exist_ok=True)
    cmd = [
        java, f"-Xmx{settings.neo4j_heap}", *options, "-XX:+ExitOnOutOfMemoryError",
        "-cp", f"{classes_dir(settings)}{os.pathsep}{root / 'lib' / '*'}",
        MAIN_CLASS, str(home), str(settings.neo4j_bolt_port), str(settings.neo4j_pagecache_mb * 1024 * 1024),
    ]
    env = dict(os.environ, TRACEGRAPH_NEO4J_PASSWORD=settings.neo4j_password)
    with open(_log_file(settings), "ab") as log:
        log_offset = log.tell()
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env=env, start_new_session=True)
    _pid_file(settings).write_text(str(proc.pid))
    try:
        _wait_ready(settings, lambda: proc.poll() is not None, log_offset,
                    time.monotonic() + settings.neo4j_start_timeout)
    except LauncherError:
        if proc.poll() is None:
            proc.kill()
        _pid_file(settings).unlink(missing_ok=True)
        raise
    echo(f"Neo4j {settings.neo4j_version} running (pid {proc.pid}) at {_bolt_uri(settings)}")
    return _bolt_uri(settings)


def stop(settings: Settings, echo=print, timeout: float = 60.0) -> bool:
    """Stop Neo4j cleanly (SIGTERM runs its shutdown hook); False if it was not running."""
    pid = _read_pid(settings)
    if pid is None:
        _pid_file(settings).unlink(missing_ok=True)
        echo("Neo4j is not running")
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    if _alive(pid):
        os.kill(pid, signal.SIGKILL)
        echo(f"Neo4j (pid {pid}) did not stop within {timeout:.0f} s and was killed")
    else:
        echo(f"Neo4j (pid {pid}) stopped")
    _pid_file(settings).unlink(missing_ok=True)
    return True


@dataclass
class InPlaceImport:
    code: int  # neo4j-admin's exit code
    output: str
    imported: float  # seconds until neo4j-admin was done (the DBMS's shutdown included)
    started: float  # seconds until the DBMS answered again


def can_import_in_place(settings: Settings) -> bool:
    """Is the running launcher one that runs `neo4j-admin` in its own JVM (Launcher.java)?"""
    pid = _read_pid(settings)
    try:
        return pid is not None and (settings.neo4j_home / "launcher.admin").read_text().strip() == str(pid)
    except OSError:
        return False


def import_in_place(settings: Settings, arguments: list[str], timeout: float = 24 * 3600.0) -> InPlaceImport:
    """Have the running launcher shut its DBMS down, run `neo4j-admin ARGUMENTS` in the same
    JVM (no second JVM start, classes already loaded and compiled) and start the DBMS again;
    returns once it answers on Bolt. Needs `can_import_in_place`."""
    pid = _read_pid(settings)
    if pid is None:
        raise LauncherError("Neo4j is not running")
    home = settings.neo4j_home
    result = home / "import.result"
    result.unlink(missing_ok=True)
    with open(_log_file(settings), "ab") as log:
        log_offset = log.tell()
    began = time.monotonic()
    request = home / "import.request.tmp"
    request.write_text("".join(f"{arg}\n" for arg in arguments), encoding="utf-8")
    request.replace(home / "import.request")  # whole, or not yet there
    while not result.exists():
        if not _alive(pid):
            tail = _log_since(settings, log_offset).strip().splitlines()[-8:]
            raise LauncherError("Neo4j exited during the import: " + " | ".join(tail))
        if time.monotonic() - began > timeout:
            raise LauncherError(f"the import did not finish within {timeout:.0f} s; see {_log_file(settings)}")
        time.sleep(0.2)
    imported = time.monotonic() - began
    code, _, output = result.read_text(encoding="utf-8").partition("\n")
    result.unlink()
    _wait_ready(settings, lambda: not _alive(pid), log_offset, time.monotonic() + settings.neo4j_start_timeout)
    return InPlaceImport(int(code), output, imported, time.monotonic() - began - imported)
