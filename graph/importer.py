"""Neo4j's offline importer (`neo4j-admin database import full`) run from the launcher's jars.

`org.neo4j:neo4j-import-tool` (the `database import` command of `org.neo4j.cli.AdminTool`)
comes with the launcher's Maven resolution (launcher/pom.xml), so the first start caches it
too. The import writes store files directly: the database must be stopped. The launcher can run
it in its own JVM between stopping and starting its DBMS (`run_in_launcher`): no JVM start for
the importer, and a restart with classes already loaded. `replace_local_store` takes whichever
way the running launcher allows (the bulk load; `empty_local` for `db reset` and `bench bulk`).
"""
from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path

from core.settings import Settings
from graph import launcher

ADMIN_CLASS = "org.neo4j.cli.AdminTool"


class ImportFailed(RuntimeError):
    """neo4j-admin refused the files or failed; its last lines say why. `emptied`: an empty
    store replaced the unusable one it left (the database works, without data or schema)."""

    def __init__(self, message: str, emptied: bool = False):
        super().__init__(message)
        self.emptied = emptied


def arguments(files: dict, database: str, array_delimiter: str, extra: tuple[str, ...] = ()) -> list[str]:
    """The `database import full` arguments for node files and (type, file) relationship files."""
    args = ["database", "import", "full", "--overwrite-destination=true", f"--array-delimiter={array_delimiter}",
            "--skip-bad-relationships=false", "--skip-duplicate-nodes=false", "--bad-tolerance=0"]
    args += [f"--nodes={path}" for path in files["nodes"]]
    args += [f"--relationships={rel_type}={path}" for rel_type, path in files["relationships"]]
    return args + list(extra) + [database]


def docker_command(files: dict, database: str, array_delimiter: str) -> str:
    """What to run in the official image (`neo4j-admin` is on its PATH), with the CSVs mounted at /import."""
    def inside(path: Path) -> str:
        return f"/import/{Path(path).name}"
    mounted = {"nodes": [inside(p) for p in files["nodes"]],
               "relationships": [(t, inside(p)) for t, p in files["relationships"]]}
    return "neo4j-admin " + " ".join(arguments(mounted, database, array_delimiter))


def _report(settings: Settings) -> Path:
    return settings.neo4j_home.resolve() / "import.report"


def _failed(output: str, emptied: str, ok: bool = False) -> ImportFailed:
    """The importer's own error lines (its output is mostly progress), else its last lines."""
    lines = [line.strip() for line in output.strip().splitlines()]
    said = [line for line in lines if not line.startswith("at ") and any(
        w in line for w in ("FAILED", "Error", "Exception", "Caused by", "rror:"))]
    return ImportFailed("neo4j-admin database import failed: " + " | ".join(said[-4:] or lines[-6:])
                        + f"; {emptied}", emptied=ok)


EMPTIED = "nothing was loaded and the database was left empty"


def _empty_files(folder: Path) -> dict:
    """One node file with a header only: an import of it makes an empty store."""
    path = folder / "empty.csv"
    path.write_text(":ID\n", encoding="utf-8")
    return {"nodes": [path], "relationships": []}


def run_in_launcher(settings: Settings, files: dict, array_delimiter: str) -> launcher.InPlaceImport:
    """Import inside the running local launcher's JVM, which stops its DBMS for it and starts
    it again (see launcher.import_in_place); raises ImportFailed after the restart if it failed.
    A failed import leaves unusable store files (neo4j-admin says so): an import of no data
    replaces them, so the database is empty and usable again."""
    def once(given: dict) -> launcher.InPlaceImport:
        return launcher.import_in_place(settings, arguments(
            given, settings.neo4j_database, array_delimiter, (f"--report-file={_report(settings)}",)))
    done = once(files)
    if done.code != 0:
        with tempfile.TemporaryDirectory(prefix="tracegraph-empty-") as tmp:
            emptied = once(_empty_files(Path(tmp)))
        raise _failed(done.output, EMPTIED if emptied.code == 0 else
                      f"nor could an empty store replace the one it left: {_failed(emptied.output, '')}",
                      emptied.code == 0)
    return done


def run_import(settings: Settings, files: dict, array_delimiter: str, echo=print) -> str:
    """Import into the local launcher's database folder (stopped); returns the importer's summary."""
    root = launcher.ensure_built(settings, echo)
    java = launcher._require("java")
    home = settings.neo4j_home.resolve()
    conf = home / "admin-conf"
    conf.mkdir(parents=True, exist_ok=True)  # empty: defaults, data under NEO4J_HOME/data like the launcher
    cmd = [java, f"-Xmx{settings.neo4j_heap}", "-cp", str(root / "lib" / "*"), ADMIN_CLASS,
           *arguments(files, settings.neo4j_database, array_delimiter, (f"--report-file={_report(settings)}",))]
    env = dict(os.environ, NEO4J_HOME=str(home), NEO4J_CONF=str(conf))
    done = subprocess.run(cmd, check=False, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        with tempfile.TemporaryDirectory(prefix="tracegraph-empty-") as tmp:  # as run_in_launcher
            again = [*cmd[:cmd.index(ADMIN_CLASS) + 1], *arguments(
                _empty_files(Path(tmp)), settings.neo4j_database, array_delimiter,
                (f"--report-file={_report(settings)}",))]
            emptied = subprocess.run(again, check=False, capture_output=True, text=True, env=env,
                                     stdin=subprocess.DEVNULL)
        raise _failed(done.stdout + done.stderr, EMPTIED if emptied.returncode == 0 else
                      f"nor could an empty store replace the one it left: "
                      f"{_failed(emptied.stdout + emptied.stderr, '')}", emptied.returncode == 0)
    return done.stdout


def replace_local_store(settings: Settings, files: dict, array_delimiter: str, echo=print,
                        what: str = "") -> dict[str, float]:
    """Replace the local launcher's store by an import of `files`, Neo4j answering again on
    return (also when the import failed: ImportFailed). In the launcher's JVM when it can
    (launcher.can_import_in_place), else Neo4j is stopped, neo4j-admin run and Neo4j started.
    Returns the seconds of each step: stop (none in the JVM: its import includes the DBMS's
    shutdown), import, start. `what` ("120 events") is named in progress lines; none without it."""
    def say(line: str) -> None:
        if what:
            echo(line)
    if launcher.can_import_in_place(settings):
        say(f"importing {what} with neo4j-admin in the launcher (Neo4j stops and starts again)...")
        done = run_in_launcher(settings, files, array_delimiter)
        return {"import": done.imported, "start": done.started}
    seconds: dict[str, float] = {}
    mark = time.perf_counter()
    say("stopping Neo4j for the offline import...")
    launcher.stop(settings, echo=echo)
    seconds["stop"] = time.perf_counter() - mark
    try:
        say(f"importing {what} with neo4j-admin...")
        mark = time.perf_counter()
        run_import(settings, files, array_delimiter, echo=echo)
        seconds["import"] = time.perf_counter() - mark
    finally:
        mark = time.perf_counter()
        launcher.start(settings, echo=echo)
        seconds["start"] = time.perf_counter() - mark
    return seconds


def empty_local(settings: Settings, echo=print) -> dict[str, float]:
    """Replace the local launcher's database with an empty store, schema included: an import
    of no data takes seconds, where deleting an 18 GB store through Cypher took 15 minutes.
    Returns replace_local_store's step seconds."""
    with tempfile.TemporaryDirectory(prefix="tracegraph-empty-") as tmp:
        return replace_local_store(settings, _empty_files(Path(tmp)), ";", echo=echo)  # no arrays: the default
