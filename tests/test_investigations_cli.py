"""`tracegraph investigation ...` and `tracegraph capa ...` against the test database."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests import partners
from tests import scenario as s


@pytest.fixture
def tg(db, cli, monkeypatch, tmp_path):
    monkeypatch.setenv("TRACEGRAPH_EVIDENCE_DIR", str(tmp_path / "evidence"))
    partners.load(db)
    return cli


def test_open_step_evidence_and_timeline(tg, tmp_path):
    inv = tg("investigation", "open", "--title", "seal", "--lot", s.FG1, "--team", "qa").stdout.strip()
    tg("investigation", "step", inv, "in_progress", "--reason", "started")
    report = tmp_path / "report.txt"
    report.write_text("seal width 2.1 mm")
    added = tg("investigation", "evidence", inv, str(report)).stdout
    moved = tg("investigation", "step", inv, "root_cause_identified", "--reason", "lab",
               "--category", "equipment", "--root-cause", "sealer worn").stdout.strip()
    entries = json.loads(tg("investigation", "timeline", inv, "--json").stdout)["entries"]
    shown = json.loads(tg("investigation", "show", inv).stdout)
    assert (added.split()[1], moved, [e["action"] for e in entries], shown["subjects"], shown["root_cause"]["by"]) == (
        "added", f"{inv}: root_cause_identified",
        ["investigation.open", "investigation.in_progress", "investigation.evidence",
         "investigation.root_cause_identified"], [{"kind": "lot", "epc": s.FG1}], "cli")


def test_list_json(tg):
    inv = tg("investigation", "open", "--title", "seal").stdout.strip()
    rows = json.loads(tg("investigation", "list", "--json").stdout)["investigations"]
    assert [(r["id"], r["state"], r["owner"]) for r in rows] == [(inv, "open", "cli")]


def test_capa_list_overdue_json(tg, db):
    from tracegraph.capa import service as capas
    from tracegraph.capa.models import CreateRequest
    capa = capas.create(db, CreateRequest(title="late", due="2000-01-01"), principal="t")
    rows = json.loads(tg("capa", "list", "--overdue", "--json").stdout)["capas"]
    assert [(r["id"], r["overdue"]) for r in rows] == [(capa.id, True)]


def test_illegal_step_is_one_line_and_exit_1(db, tmp_path):
    env = {"TRACEGRAPH_NEO4J_URI": db.settings.neo4j_uri, "TRACEGRAPH_NEO4J_PASSWORD": db.settings.neo4j_password,
           "TRACEGRAPH_EVIDENCE_DIR": str(tmp_path / "evidence"), "PATH": "/usr/bin:/bin"}
    exe = str(Path(sys.executable).parent / "tracegraph")
    inv = subprocess.run([exe, "investigation", "open", "--title", "x"], capture_output=True, text=True, env=env,
                         cwd=tmp_path, check=True).stdout.strip()
    done = subprocess.run([exe, "investigation", "step", inv, "closed", "--reason", "r"], capture_output=True,
                          text=True, env=env, cwd=tmp_path, check=False)
    assert (done.returncode, done.stderr.count("\n"), "it can move to: in_progress" in done.stderr) == (1, 1, True)
