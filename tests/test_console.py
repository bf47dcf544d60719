"""The web console in a real browser (issue 15): Debian's Chromium driven by Playwright
against a real uvicorn server and Neo4j. Each journey a recall team walks, an axe-core
accessibility check of every page at desktop and tablet size, and a screenshot of each
page (into docs/screenshots/, shown in the README, when TRACEGRAPH_SCREENSHOTS=1)."""
from __future__ import annotations

import csv
import os
import re
import socket
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import uvicorn
from playwright import sync_api

from api.main import create_app
from graph import schema
from tests import partners as p
from tests import scenario as s
from tests.epcis import lgtin, receive, sgtin, transform
from tests.test_rules_support import load
from tracegraph.audit import service as audit
from tracegraph.security import service
from tracegraph.security.models import NewUser

expect = sync_api.expect

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[1]
# The README's screenshots are refreshed only on request (TRACEGRAPH_SCREENSHOTS=1), so a test run
# leaves the working tree clean; otherwise they are still taken, into a scratch folder.
SHOTS = (ROOT / "docs" / "screenshots" if os.environ.get("TRACEGRAPH_SCREENSHOTS") == "1"
         else Path(tempfile.gettempdir()) / "tracegraph-screenshots")
AXE = ROOT / "tests" / "assets" / "axe.min.js"
PASSWORD = "console-password-1"
DESKTOP, TABLET = {"width": 1280, "height": 800}, {"width": 820, "height": 1180}
ORPHAN = sgtin("ORPH1")  # received where nothing shipped it: an open RECEIVED_NOT_SHIPPED alert
WAIT = 60_000  # ms: generous, for a busy 2-core machine

expect.set_options(timeout=WAIT)


def gtin14(item_ref: str, company: str = "0614141") -> str:
    """GTIN-14 of an SGTIN's company prefix and item reference (indicator digit first), with its
    check digit computed here (mod 10, weights 3 and 1 from the right) as an independent oracle."""
    body = item_ref[0] + company + item_ref[1:]
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def base_url(database, tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)")
    schema.reset(database)
    # as the `db` fixture: an earlier file's checkpoints name records this new chain does not have
    audit.retire_checkpoints(keep=False)
    p.load(database)
    load(database, [transform(70, input_lots=[lgtin("RAW")], outputs=[ORPHAN], lot_number="FG9", site=1),
                    receive([ORPHAN], 100, site=2)], "orphan receipt")
    service.create_user(database, NewUser(name="recall-lead", roles=["admin"], display_name="Rita Recall",
                                          password=PASSWORD), actor="test")
    service.create_user(database, NewUser(name="dist-co", roles=["partner"], party=p.DIST, password=PASSWORD),
                        actor="test")
    settings = database.settings.model_copy(update={
        "session_key_path": tmp_path_factory.mktemp("keys") / "session.key", "partner_rate_burst": 10_000})
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the console server did not start"
        time.sleep(0.05)  # polling for start-up, not synchronising a test step
    # "localhost" is a secure context, so Chromium keeps the Secure session cookie over plain HTTP
    yield f"http://localhost:{port}"
    server.should_exit = True
    thread.join(60)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield chromium
        chromium.close()


def open_page(browser, base_url, viewport=DESKTOP, user="recall-lead", bypass_csp=False):
    context = browser.new_context(viewport=viewport, accept_downloads=True, bypass_csp=bypass_csp, base_url=base_url)
    page = context.new_page()
    # browser-side errors go to the captured output, so a failing journey shows why
    page.on("console", lambda m: print(f"[browser {m.type}] {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: print(f"[page error] {e}"))
    page.goto("/")
    if user:
        page.get_by_label("User name").fill(user)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
    return page


@pytest.fixture
def admin(browser, base_url):
    page = open_page(browser, base_url)
    yield page
    page.context.close()


@pytest.fixture
def partner(browser, base_url):
    page = open_page(browser, base_url, user="dist-co")
    yield page
    page.context.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True, animations="disabled")


def test_login_page_asks_for_user_and_password_or_an_api_key(browser, base_url):
    page = open_page(browser, base_url, user=None)
    expect(page.get_by_role("tab", name="API key")).to_be_visible()
    shot(page, "login")
    page.context.close()


def test_scanning_a_gs1_element_string_with_enter_lands_on_the_serial(admin):
    admin.goto("/#/search")
    # what a barcode scanner types: symbology identifier, AI 01 + GTIN-14, AI 21 + serial, then Enter
    admin.get_by_label("Identifier", exact=True).press_sequentially(f"]d201{gtin14('812345')}21D1")
    admin.get_by_label("Identifier", exact=True).press("Enter")
    expect(admin).to_have_url(re.compile(re.escape(f"#/serial/{quote(s.D1, safe='')}")))
    expect(admin.get_by_role("heading", level=1)).to_have_text("Serial D1")
    expect(admin.get_by_text("Scanned input read as")).to_be_visible()


def test_search_shows_what_a_digital_link_parsed_to(admin):
    admin.goto("/#/search")
    link = f"https://id.gs1.org/01/{gtin14('712345')}/10/FG1"
    admin.get_by_label("Identifier", exact=True).fill(link)
    admin.get_by_role("button", name="Search").click()
    expect(admin.locator("#search-result")).to_contain_text("urn:epc:class:lgtin:0614141.712345.FG1")
    shot(admin, "search")


def node_count(page) -> int:
    expect(page.locator("#graph-nodes summary")).to_be_visible()
    return int(re.search(r"\((\d+)\)", page.locator("#graph-nodes summary").inner_text()).group(1))


def test_serial_shows_status_site_timeline_and_its_genealogy(admin):
    admin.goto(f"/#/serial/{quote(s.D2, safe='')}")
    expect(admin.locator("#facts-h + .actions .badge").first).to_have_text("decommissioned")
    expect(admin.get_by_role("heading", name=re.compile(r"Timeline \(\d+ events\)"))).to_be_visible()
    expect(admin.locator("#graph canvas").first).to_be_visible()
    assert node_count(admin) >= 3


def test_clicking_a_node_in_the_graph_expands_it(admin):
    admin.goto(f"/#/serial/{quote(s.D1, safe='')}")
    before = node_count(admin)
    lot_a = lgtin("A")
    admin.locator("#graph").scroll_into_view_if_needed()
    point = admin.evaluate("(id) => { const p = document.getElementById('graph').cy.getElementById(id)"
                           ".renderedPosition();"
                           " const r = document.getElementById('graph').getBoundingClientRect();"
                           " return {x: r.left + p.x, y: r.top + p.y}; }", lot_a)
    admin.mouse.move(point["x"], point["y"])  # pointer over the node first, as a person's would be
    admin.mouse.down()
    admin.mouse.up()
    expect(admin.locator("#graph-detail")).to_contain_text(lot_a)
    expect(admin.locator("#graph-nodes summary")).not_to_have_text(f"Node list ({before})")
    assert node_count(admin) > before  # S2 joins: lot A went into S1 and S2
    shot(admin, "serial")


def test_the_node_list_expands_from_the_keyboard(admin):
    admin.goto(f"/#/serial/{quote(s.D1, safe='')}")
    before = node_count(admin)
    admin.locator("#graph-nodes summary").click()
    row = admin.locator("#graph-nodes tr", has_text=lgtin("A"))
    row.get_by_role("button", name="Expand").focus()
    admin.keyboard.press("Enter")
    expect(row.get_by_role("button", name="Expanded")).to_be_disabled()
    assert node_count(admin) > before


def test_recall_scope_from_a_lot_downloads_the_consignee_csv(admin, tmp_path):
    admin.goto("/#/scope")
    admin.get_by_label("Identifier", exact=True).fill(s.FG1)
    admin.get_by_role("button", name="Compute scope").click()
    expect(admin.locator(".figure", has_text="serials affected").locator(".n")).to_have_text("3")
    expect(admin.locator("#scope-chart")).to_be_visible()
    with admin.expect_download() as done:
        admin.get_by_role("button", name="Consignee list (CSV)").click()
    path = tmp_path / done.value.suggested_filename
    done.value.save_as(path)
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig")))
    assert {r["site"] for r in rows} == {s.SITE[3], s.SITE[4]}
    shot(admin, "scope")


def test_recall_scope_error_shows_the_problem_detail(admin):
    admin.goto("/#/scope")
    admin.get_by_label("Identifier", exact=True).fill("not an identifier")
    admin.get_by_role("button", name="Compute scope").click()
    expect(admin.get_by_role("alert")).to_contain_text("(422)")


def test_acknowledging_an_alert(admin):
    admin.goto("/#/alerts")
    admin.locator("#alert-list tr", has_text="ORPH1").filter(has_text="RECEIVED NOT SHIPPED").click()
    expect(admin.locator("#alert-detail")).to_contain_text(ORPHAN)
    admin.get_by_role("button", name="Acknowledge").click()
    admin.get_by_label("Reason").fill("seen; checking the receiving dock")
    admin.get_by_role("dialog").get_by_role("button", name="Acknowledge").click()
    expect(admin.locator("#alert-detail .badge", has_text="acknowledged")).to_be_visible()
    expect(admin.locator("#alert-detail .steps")).to_contain_text("open → acknowledged by recall-lead")
    shot(admin, "alerts")


def test_placing_and_releasing_a_hold_with_an_e_signature(admin):
    admin.goto("/#/holds")
    admin.locator("#hold-kind").select_option("serial")
    admin.get_by_label("Target", exact=True).fill(s.D3)
    admin.get_by_label("Reason", exact=True).fill("suspect seal, quarantine")
    admin.get_by_role("button", name="Place hold").click()
    expect(admin.get_by_text("placed on 1 serial.")).to_be_visible()
    row = admin.locator("#hold-list tr", has_text=s.D3)
    shot(admin, "holds")
    row.get_by_role("button", name="Release").click()
    dialog = admin.get_by_role("dialog")
    dialog.get_by_label("Reason for release").fill("seal checked and intact")
    dialog.get_by_label("Your password (e-signature)").fill(PASSWORD)
    dialog.get_by_label("Meaning of this signature").select_option("approved")
    dialog.get_by_role("button", name="Release hold").click()
    expect(admin.get_by_text("No active holds.")).to_be_visible()


def test_a_wrong_e_signature_is_refused_with_the_servers_detail(admin):
    admin.goto("/#/holds")
    admin.locator("#hold-kind").select_option("serial")
    admin.get_by_label("Target", exact=True).fill(s.D1)
    admin.get_by_label("Reason", exact=True).fill("check")
    admin.get_by_role("button", name="Place hold").click()
    admin.locator("#hold-list tr", has_text=s.D1).get_by_role("button", name="Release").click()
    dialog = admin.get_by_role("dialog")
    dialog.get_by_label("Reason for release").fill("done")
    dialog.get_by_label("Your password (e-signature)").fill("not my password")
    dialog.get_by_role("button", name="Release hold").click()
    expect(admin.get_by_role("alert")).to_contain_text("re-enter your own password")


def test_closing_an_alert_as_false_positive_takes_an_e_signature(admin):
    admin.goto("/#/alerts")
    admin.locator("#alert-list tr", has_text="2345.D2").filter(has_text="TWO PLACES").click()
    admin.get_by_role("button", name="Mark false positive").click()
    dialog = admin.get_by_role("dialog")
    expect(dialog).to_contain_text("electronic signature")
    dialog.get_by_label("Reason").fill("both reads were the same dock door")
    dialog.get_by_label("Your password (e-signature)").fill(PASSWORD)
    dialog.get_by_label("Meaning of this signature").select_option("reviewed")
    dialog.get_by_role("button", name="Mark false positive").click()
    expect(admin.locator("#alert-detail .badge", has_text="false positive")).to_be_visible()


def test_audit_shows_the_chain_verified(admin):
    admin.goto("/#/audit")
    expect(admin.get_by_text("Audit chain verified")).to_be_visible()
    expect(admin.locator("#audit-list")).to_contain_text("session.login")
    shot(admin, "audit")


def test_partner_sees_only_partner_pages(partner):
    assert partner.locator("#nav a").all_inner_texts() == ["Search", "Verify"]


def test_partner_verifies_their_own_serial(partner):
    partner.goto("/#/partner")
    partner.get_by_label("Serial", exact=True).fill(s.D1)
    partner.get_by_role("button", name="Verify").click()
    expect(partner.locator("#verify-result")).to_contain_text("handled by you")
    shot(partner, "partner")


def test_partner_gets_not_found_for_another_partys_serial(partner):
    partner.goto("/#/partner")
    partner.get_by_label("Serial", exact=True).fill(s.D3)
    partner.get_by_role("button", name="Verify").click()
    expect(partner.locator("#verify-result")).to_contain_text("Not found")


def test_partner_cannot_open_an_internal_page_by_its_address(partner):
    partner.goto(f"/#/serial/{quote(s.D1, safe='')}")
    expect(partner).to_have_url(re.compile(r"#/search$"))
    expect(partner.get_by_role("heading", level=1)).to_have_text("Search")
    expect(partner.get_by_role("textbox", name="Identifier")).to_have_value("")


def test_a_hold_placed_from_a_recall_scope_holds_every_serial_in_it(admin):
    admin.goto(f"/#/scope?kind=lot&id={quote(s.FG1, safe='')}")
    expect(admin.locator(".figure", has_text="serials affected").locator(".n")).to_have_text("3")
    admin.get_by_role("button", name="Place hold on scope").click()
    dialog = admin.get_by_role("dialog")
    dialog.get_by_label("Reason").fill("field safety notice FSN-7")
    dialog.get_by_role("button", name="Place hold").click()
    expect(admin.locator("#hold-list tr", has_text="recall scope")).to_contain_text("3")


def test_resolver_style_console_url_opens_the_serial(admin):
    admin.goto(f"/console/serial/{quote(s.D1, safe='')}")
    expect(admin.get_by_role("heading", level=1)).to_have_text("Serial D1")


def test_swagger_ui_renders_from_local_assets(browser, base_url):
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base_url) else None)
    page.goto("/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("tracegraph")
    context.close()
    assert outside == []


def test_tablet_width_keeps_the_serial_page_usable(browser, base_url):
    page = open_page(browser, base_url, viewport=TABLET)
    page.goto(f"/#/serial/{quote(s.D1, safe='')}")
    expect(page.locator("#graph canvas").first).to_be_visible()
    node_count(page)  # the graph is drawn
    width = page.evaluate("document.documentElement.scrollWidth")
    shot(page, "serial-tablet")
    page.context.close()
    assert width <= TABLET["width"]


AXE_PAGES = {
    "login": (None, None),
    "search": ("recall-lead", "/#/search"),
    "serial": ("recall-lead", f"/#/serial/{quote(s.D1, safe='')}"),
    "scope": ("recall-lead", f"/#/scope?kind=lot&id={quote(s.FG1, safe='')}"),
    "alerts": ("recall-lead", "/#/alerts"),
    "holds": ("recall-lead", "/#/holds"),
    "audit": ("recall-lead", "/#/audit"),
    "partner": ("dist-co", "/#/partner"),
}
READY = {"serial": "#graph-nodes summary", "scope": ".figure", "alerts": "#alert-list table", "holds": "#hold-list > *",
         "audit": "#audit-list table", "search": "#search-box", "login": "form", "partner": "#verify-id"}


@pytest.mark.parametrize("viewport", [DESKTOP, TABLET], ids=["1280x800", "820x1180"])
@pytest.mark.parametrize("name", list(AXE_PAGES))
def test_no_serious_accessibility_violations(browser, base_url, name, viewport):
    user, url = AXE_PAGES[name]
    page = open_page(browser, base_url, viewport=viewport, user=user, bypass_csp=True)
    if url:
        page.goto(url)
    expect(page.locator(READY[name]).first).to_be_visible()
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
        .filter(v => ['serious', 'critical'].includes(v.impact))
        .map(v => `${v.id}: ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`)""")
    page.context.close()
    assert found == []


@pytest.mark.parametrize("name", ["investigations", "capas", "recalls"])
def test_pages_for_apis_built_elsewhere_render_without_an_error(admin, name):
    # whether or not this server has the API yet: a list, an empty state, or "not available"
    admin.goto(f"/#/{name}")
    expect(admin.locator("main .table-wrap, main .empty").first).to_be_visible()
    assert admin.get_by_role("alert").count() == 0
