"""A throw-away local PostgreSQL for the scope benchmark: Debian's packages (installed
with apt-get when missing), a fresh cluster in a temporary folder, a Unix socket only,
stopped and deleted afterwards. The natural relational model of genealogy: lots, items
(with their lot) and transformation inputs/outputs; scope = a recursive CTE."""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg

SCHEMA = """
CREATE UNLOGGED TABLE item (epc text PRIMARY KEY, lot text);
CREATE UNLOGGED TABLE transformation_input (transformation text NOT NULL, epc text NOT NULL);
CREATE UNLOGGED TABLE transformation_output (transformation text NOT NULL, epc text NOT NULL);
"""
INDEXES = """
CREATE INDEX ON item (lot);
CREATE INDEX ON transformation_input (epc);
CREATE INDEX ON transformation_output (transformation);
ANALYZE;
"""
# Forward closure: what each reached thing went into, and the items of each reached lot.
SCOPE = """
WITH RECURSIVE reach(epc) AS (
  SELECT unnest(%(starts)s::text[])
  UNION
  SELECT x.epc FROM reach r CROSS JOIN LATERAL (
    SELECT o.epc FROM transformation_input i
    JOIN transformation_output o ON o.transformation = i.transformation WHERE i.epc = r.epc
    UNION ALL
    SELECT it.epc FROM item it WHERE it.lot = r.epc) x
)
SELECT r.epc FROM reach r JOIN item it ON it.epc = r.epc
"""


def binaries() -> Path:
    """The folder with initdb and pg_ctl; installs Debian's postgresql when there is none."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        subprocess.run(["apt-get", "install", "-y", "-q", "postgresql"], check=True,
                       env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL binaries not found after apt-get install postgresql")
    return Path(found[-1]).parent


class LocalPostgres:
    def __init__(self, port: int = 55432):
        self.port = port
        self.root = Path(tempfile.mkdtemp(prefix="tracegraph-pg-"))
        self.bin = binaries()
        # initdb refuses to run as root: run the server as the postgres user then.
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def __enter__(self) -> "LocalPostgres":
        if self.as_user:
            shutil.chown(self.root, "postgres", "postgres")
        data = self.root / "data"
        self._run(str(self.bin / "initdb"), "-D", str(data), "-A", "trust", "-U", "bench", "--no-sync")
        opts = (f"-p {self.port} -k {self.root} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
                f"-c full_page_writes=off -c shared_buffers=256MB -c work_mem=64MB")
        self._run(str(self.bin / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(self.root / "log"), "-w", "start")
        return self

    def __exit__(self, *exc) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(host=str(self.root), port=self.port, user="bench", dbname="postgres", autocommit=True)

    def load(self, conn: psycopg.Connection, items: list[tuple[str, str | None]],
             inputs: list[tuple[str, str]], outputs: list[tuple[str, str]]) -> None:
        with conn.cursor() as cur:
            cur.execute(SCHEMA)
            for table, rows in (("item", items), ("transformation_input", inputs),
                                ("transformation_output", outputs)):
                cols = "(epc, lot)" if table == "item" else "(transformation, epc)"
                with cur.copy(f"COPY {table} {cols} FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            cur.execute(INDEXES)

    @staticmethod
    def scope(conn: psycopg.Connection, starts: list[str]) -> list[str]:
        with conn.cursor() as cur:
            cur.execute(SCOPE, {"starts": starts})
            return [r[0] for r in cur.fetchall()]
