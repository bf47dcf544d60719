"""Issue 18 §4: a first run without surprises (conformance data, test port, recall on unknown
GTINs, `make demo`, folder loads, alert paging, capture job ids, `--version`)."""
from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from core.identifiers import gs1_check_digit
from core.settings import Settings
from graph import launcher
from tests import conformance
from tests import scenario as s
from tests.conftest import TEST_PORT_SETTING
from tests.epcis import document, receive, sgtin
from tests.test_alerts import made
from tests.test_rules_support import load

UNKNOWN_GTIN = "0999999999999" + gs1_check_digit("0999999999999")
BAD_CHECK_DIGIT = "0999999999999" + str((int(gs1_check_digit("0999999999999")) + 1) % 10)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- conformance data and the test port -------------------------------------------------------

def test_missing_conformance_data_is_a_skip_with_where_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setattr(conformance, "CONFORMANCE", tmp_path / "absent")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="TRACEGRAPH_CONFORMANCE_DIR"):
        conformance.conformance_path("epcis-schema")


def test_missing_conformance_data_fails_under_ci(tmp_path, monkeypatch):
    monkeypatch.setattr(conformance, "CONFORMANCE", tmp_path / "absent")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        conformance.conformance_path("epcis-schema")


@pytest.mark.skipif(shutil.which("java") is None, reason="the launcher needs java")
def test_busy_test_port_error_names_the_test_port_setting(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        settings = Settings(neo4j_bolt_port=busy.getsockname()[1], neo4j_home=tmp_path / "neo4j")
        with pytest.raises(launcher.LauncherError, match=TEST_PORT_SETTING):
            launcher.start(settings, echo=lambda *_: None, port_setting=TEST_PORT_SETTING)


def test_readme_documents_the_test_port_setting():
    assert TEST_PORT_SETTING in (Path(__file__).resolve().parents[1] / "README.md").read_text()


# --- recall scope on product GTINs ------------------------------------------------------------

def _product_scope(client, gtin: str):
    return client.post("/v1/recall-scope", json={"starts": [{"kind": "product", "id": gtin}]})


def test_scope_on_an_unknown_gtin_is_404(scenario_api):
    response = _product_scope(scenario_api, UNKNOWN_GTIN)
    assert (response.status_code, response.json()["field"]) == (404, "starts[0].id")


def test_scope_on_a_gtin_with_a_wrong_check_digit_is_422(scenario_api):
    response = _product_scope(scenario_api, BAD_CHECK_DIGIT)
    assert (response.status_code, response.json()["type"].rsplit("/", 1)[1]) == (422, "invalid-identifier")


def test_scope_on_a_known_gtin_still_answers(scenario_api):
    gtin = "80614141123458"  # the scenario's finished product (tests/test_recall.py)
    assert _product_scope(scenario_api, gtin).json()["summary"]["serials"] > 0


@pytest.mark.parametrize("gtin", [UNKNOWN_GTIN, BAD_CHECK_DIGIT])
def test_cli_scope_on_a_bad_gtin_exits_non_zero(scenario_api, cli, gtin):
    assert cli("scope", "--product", gtin).exit_code != 0


# --- loading a folder with a bad file ---------------------------------------------------------

def test_folder_load_goes_on_past_a_bad_file_and_exits_non_zero(db, cli, tmp_path):
    (tmp_path / "a-bad.json").write_text('{"type": "EPCISDocument"')  # truncated JSON
    (tmp_path / "b-good.json").write_text(json.dumps(document(s.events())))
    result = cli("load", str(tmp_path))
    assert (result.exit_code, "a-bad.json" in result.output, "REFUSED" in result.output,
            "b-good.json" in result.output, "loaded 1 of 2" in result.output) == (1, True, True, True, True)


def test_folder_load_writes_the_good_files(db, cli, tmp_path):
    (tmp_path / "a-bad.json").write_text("not json")
    (tmp_path / "b-good.json").write_text(json.dumps(document(s.events())))
    cli("load", str(tmp_path))
    assert len(db.read("test/event_ids")) == len(s.events())


# --- alert paging, capture job ids, --version -------------------------------------------------

def _three_alerts(db) -> None:
    serials = [sgtin(f"P{n}") for n in range(3)]
    load(db, [made(*serials)] + [receive([d], 100 + n, site=2) for n, d in enumerate(serials)])


def test_alerts_page_reports_total_and_next_offset(client):
    _three_alerts(client.app.state.db)
    body = client.get("/v1/alerts", params={"limit": 2}).json()
    assert (body["count"], body["total"], body["next_offset"]) == (2, 3, 2)


def test_alerts_page_links_the_next_page(client):
    _three_alerts(client.app.state.db)
    link = client.get("/v1/alerts", params={"limit": 2, "rule": "RECEIVED_NOT_SHIPPED"}).headers["link"]
    assert ("offset=2" in link, "rule=RECEIVED_NOT_SHIPPED" in link, 'rel="next"' in link) == (True, True, True)


def test_last_alerts_page_has_no_next(client):
    _three_alerts(client.app.state.db)
    response = client.get("/v1/alerts", params={"limit": 2, "offset": 2})
    assert (response.json()["next_offset"], "link" in response.headers) == (None, False)


def test_capture_202_body_carries_the_job_id(client):
    response = client.post("/epcis/capture", content=json.dumps(document(s.events())).encode(),
                           headers={"Content-Type": "application/ld+json"})
    body = response.json()
    assert (response.status_code, response.headers["Location"].rsplit("/", 1)[1]) == (202, body["jobID"])


def test_version_flag_prints_the_package_version(cli):
    from importlib.metadata import version
    result = cli("--version")
    assert (result.exit_code, result.output.strip()) == (0, f"tracegraph {version('tracegraph')}")


# --- make demo ----------------------------------------------------------------------------------

@pytest.fixture
def served(client):
    """The app on a real local port (uvicorn in a thread), as a running demo would be."""
    import uvicorn
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(client.app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield port
    server.should_exit = True
    thread.join(timeout=30)


def test_second_demo_says_it_is_already_running(served, cli, tmp_path):
    result = cli("demo", "--data", str(tmp_path), "--host", "127.0.0.1", "--port", str(served))
    assert (result.exit_code, "already running" in result.output) == (0, True)


def test_second_demo_issues_no_new_key(served, cli, tmp_path, db):
    cli("demo", "--data", str(tmp_path), "--host", "127.0.0.1", "--port", str(served))
    from tracegraph.security import service
    assert [u.name for u in service.list_users(db) if u.name == "demo"] == []


def test_demo_refuses_a_port_busy_with_something_else(cli, tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = cli("demo", "--data", str(tmp_path), "--host", "127.0.0.1", "--port", str(busy.getsockname()[1]))
    assert (result.exit_code, "busy" in result.output) == (1, True)


def test_examples_print_commands_that_run_as_printed(db, cli):
    load(db, s.events())
    result = cli("examples", "--demo-key")
    command = next(line.split()[0] for line in result.output.splitlines() if " trace forward " in line)
    assert shutil.which(command) is not None


def test_examples_say_how_the_demo_user_can_e_sign(db, cli):
    load(db, s.events())
    assert "users set-password demo" in cli("examples", "--demo-key").output


# --- progress on long CLI work ----------------------------------------------------------------

@pytest.mark.parametrize("args, shown", [
    (["rules", "run"], "sweeping"),
    (["audit", "verify"], "verifying"),
    (["audit", "export", "{tmp}/audit.jsonl"], "exporting"),
    (["backup", "create", "{tmp}/backup.jsonl.gz"], "backing up"),
    (["scope", "--lot", s.A, "--export", "{tmp}/scope.csv"], "writing"),
])
def test_long_cli_work_shows_progress(db, cli, tmp_path, args, shown, monkeypatch):
    monkeypatch.setenv("TRACEGRAPH_PROGRESS", "1")  # as on a terminal
    load(db, s.events())
    result = cli(*[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert (result.exit_code, shown in result.output) == (0, True)


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_master_load_shows_progress(db, cli, monkeypatch):
    monkeypatch.setenv("TRACEGRAPH_PROGRESS", "1")
    result = cli("master", "load", str(EXAMPLES / "master_data.yaml"))
    assert (result.exit_code, "written" in result.output) == (0, True)


def test_no_progress_when_not_on_a_terminal(db, cli, monkeypatch):
    monkeypatch.delenv("TRACEGRAPH_PROGRESS", raising=False)
    assert "written" not in cli("master", "load", str(EXAMPLES / "master_data.yaml")).output


def test_csv_load_shows_progress(db, cli, monkeypatch):
    monkeypatch.setenv("TRACEGRAPH_PROGRESS", "1")
    result = cli("load", "--format", "csv", "--mapping", str(EXAMPLES / "mappings" / "mes_production.yaml"),
                 str(EXAMPLES / "data" / "mes_production.csv"))
    assert (result.exit_code, "loading CSV" in result.output) == (0, True)
