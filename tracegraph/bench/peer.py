"""The relational peer the benchmarks measure against: `../shared/peers` (`pg_peer.sh` starts a
PostgreSQL 15 on port 55432, `pg_peer.py` loads EPCIS files into normalised tables and answers a
scope with one recursive-CTE statement), read in place, never copied into the project.

Each benchmark gets a database of its own on the peer's server, named by purpose, bench port and
checkout: the peer's load drops and rebuilds its schema, so two benches (or two checkouts using one
port) must not share one. A bench drops its database when it ends (`drop`): a 1M-serial load leaves
about 10 GB, and kept ones filled the disk."""
from __future__ import annotations

import hashlib
import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
PEERS = Path(os.environ.get("TRACEGRAPH_PEERS_DIR", ROOT.parent / "shared" / "peers"))
SERVER = os.environ.get("TRACEGRAPH_PEER_SERVER", "host=127.0.0.1 port=55432 user=postgres")


def database(purpose: str, port: int) -> str:
    """The peer database of one benchmark on one bench port in this checkout."""
    return f"tracegraph_{purpose}_{port}_{hashlib.sha1(str(ROOT).encode()).hexdigest()[:8]}"


class Peer:
    """`pg_peer.py` on its own server, in one database of ours."""

    def __init__(self, name: str, echo=print):
        if not (PEERS / "pg_peer.py").is_file():
            raise FileNotFoundError(f"no relational peer at {PEERS} (set TRACEGRAPH_PEERS_DIR)")
        spec = importlib.util.spec_from_file_location("pg_peer", PEERS / "pg_peer.py")
        self.module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(self.module)
        self.name, self.dsn, self.echo = name, f"{SERVER} dbname={name}", echo

    def _run(self, args: list[str]) -> str:
        done = subprocess.run(args, capture_output=True, text=True, check=False,
                              env=dict(os.environ, PG_PEER_DSN=self.dsn))
        if done.returncode:
            raise RuntimeError(f"{Path(args[1]).name} failed: {(done.stderr or done.stdout).strip()[-2000:]}")
        return done.stdout.strip()

    def exists(self) -> bool:
        with psycopg.connect(f"{SERVER} dbname=postgres", autocommit=True) as conn:
            return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (self.name,)).fetchone() is not None

    def start(self) -> None:
        """Start the server (idempotent) and create this peer's database if it is missing."""
        self._run(["bash", str(PEERS / "pg_peer.sh"), "start"])
        if not self.exists():
            with psycopg.connect(f"{SERVER} dbname=postgres", autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.name}"')  # a name of ours, not input

    def drop(self) -> None:
        """Drop this peer's database, its connections closed first (the server stays up for others)."""
        with psycopg.connect(f"{SERVER} dbname=postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')  # a name of ours, not input

    def load(self, folder: Path) -> float:
        """Seconds `pg_peer.py load FOLDER` takes (it empties the database first)."""
        started = time.perf_counter()
        out = self._run([sys.executable, str(PEERS / "pg_peer.py"), "load", str(folder)])
        seconds = time.perf_counter() - started
        self.echo(f"loaded into the relational peer in {seconds:.1f} s: {out}")
        return seconds

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(self.dsn, autocommit=True)

    def scope(self, cur, root: str, direction: str = "forward") -> dict:
        return self.module.scope(cur, direction, root)
