"""The console's investigation, CAPA and recall-campaign pages and the partner's notices, in a real
browser against a real server and Neo4j (issues 14 and 15): the journeys a quality team and a
recall manager walk, the partner's acknowledgement, deep links, axe-core checks and screenshots."""
from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import quote

import pytest

from tests import scenario as s
from tests.test_console import (  # noqa: F401 (fixtures shared with the console's own tests)
    AXE,
    DESKTOP,
    ORPHAN,
    PASSWORD,
    TABLET,
    admin,
    base_url,
    browser,
    expect,
    open_page,
    partner,
    shot,
)
from tracegraph.campaigns import service as campaigns
from tracegraph.campaigns.models import CampaignRequest
from tracegraph.capa import service as capas
from tracegraph.capa.models import CreateRequest
from tracegraph.investigations import service as investigations
from tracegraph.investigations.models import OpenRequest

LOT_START = [{"kind": "lot", "id": s.FG1}]


@pytest.fixture(scope="module")
def records(base_url, database):  # noqa: F811
    """An investigation, a CAPA with a due-yesterday action, and an issued campaign, made through the
    services (the console's own creation paths are exercised by the journeys below)."""
    inv = investigations.open_investigation(database, OpenRequest(title="Seal failures on FG1",
                                                                  subjects={"lots": [s.FG1]}),
                                            principal="recall-lead")
    capa = capas.create(database, CreateRequest(title="Tighten the seal check", investigations=[inv.id],
                                                effectiveness_criteria="no seal failure in 3 lots", actions=[
                                                    {"kind": "corrective", "description": "Re-train the sealing line",
                                                     "owner": "recall-lead", "due": date.today() - timedelta(days=1)}]),
                        principal="recall-lead")
    camp = campaigns.create(database, CampaignRequest(starts=LOT_START, classification="II", type="removal",
                                                      depth="user", reason="seal may leak", investigation_id=inv.id),
                            actor="recall-lead")
    campaigns.notify(database, camp.id, actor="recall-lead")
    return {"investigation": inv.id, "capa": capa.id, "campaign": camp.id}


def quiet_shot(page, name: str) -> None:
    """A screenshot without the passing toasts covering the page."""
    page.evaluate("document.getElementById('toast').replaceChildren()")
    shot(page, name)


def figure(page, name: str):
    return page.locator(f"#fig-{name} .n")


def test_opening_an_investigation_from_an_alert_and_moving_it_to_in_progress(admin, tmp_path):  # noqa: F811
    admin.goto("/#/alerts")
    admin.locator("#alert-list tr", has_text="ORPH1").filter(has_text="RECEIVED NOT SHIPPED").click()
    expect(admin.locator("#alert-detail")).to_contain_text(ORPHAN)
    admin.get_by_role("button", name="Open investigation").click()
    dialog = admin.get_by_role("dialog")
    dialog.get_by_label("Why investigate").fill("received where nothing shipped it")
    dialog.get_by_role("button", name="Open investigation").click()
    expect(admin).to_have_url(re.compile(r"#/investigations/[^/?]+$"))
    expect(admin.locator("main .card .badge").first).to_have_text("open")
    expect(admin.get_by_role("region", name="What is investigated")).to_contain_text(ORPHAN)
    admin.get_by_role("button", name="Move to in progress").click()
    dialog = admin.get_by_role("dialog")
    dialog.get_by_label("Reason").fill("dock records requested")
    dialog.get_by_role("button", name="Move to in progress").click()
    expect(admin.locator("main .card .badge").first).to_have_text("in progress")
    expect(admin.locator("#inv-timeline li")).not_to_have_count(1)


def test_opening_an_investigation_by_hand_and_linking_an_alert_to_it(admin):  # noqa: F811
    alert = admin.request.get("/v1/alerts", params={"limit": 1}).json()["alerts"][0]["id"]
    admin.goto("/#/investigations")
    admin.get_by_label("Title", exact=True).fill("Complaint batch 12")
    admin.get_by_label("Lots", exact=True).fill(s.FG1)
    admin.get_by_role("button", name="Open investigation").click()
    expect(admin).to_have_url(re.compile(r"#/investigations/[^/?]+$"))
    expect(admin.get_by_role("region", name="What is investigated")).to_contain_text(s.FG1)
    admin.get_by_label("Link to").select_option("alert")
    admin.get_by_label("Id", exact=True).fill(alert)
    admin.get_by_role("button", name="Add link").click()
    expect(admin.locator("tr", has_text=alert).first).to_contain_text("alert")


def test_evidence_uploaded_in_the_console_downloads_as_the_same_bytes(admin, records, tmp_path):  # noqa: F811
    admin.goto(f"/#/investigations/{records['investigation']}")
    admin.locator("#ev-file").set_input_files(files=[{"name": "dock-log.txt", "mimeType": "text/plain",
                                                       "buffer": b"14:02 pallet received, no ASN\n"}])
    admin.get_by_label("Note", exact=True).fill("receiving log")
    admin.get_by_role("button", name="Upload").click()
    row = admin.locator("tr", has_text="dock-log.txt")
    expect(row).to_contain_text("receiving log")
    with admin.expect_download() as done:
        row.get_by_role("link", name="Download dock-log.txt").click()
    path = tmp_path / "got.txt"
    done.value.save_as(path)
    quiet_shot(admin, "investigation")
    assert path.read_bytes() == b"14:02 pallet received, no ASN\n"


def test_capa_action_done_effectiveness_verified_and_closed_with_an_e_signature(admin, records):  # noqa: F811
    admin.goto("/#/capas")
    admin.get_by_label("Overdue only").check()
    expect(admin.locator("#capa-list tr", has_text=records["capa"])).to_contain_text("1 action overdue")
    admin.goto(f"/#/capas/{records['capa']}")
    admin.get_by_role("button", name="Mark done: Re-train the sealing line").click()
    expect(admin.locator("tr", has_text="Re-train the sealing line")).to_contain_text("done")
    for to in ("in progress", "effectiveness check"):
        admin.get_by_role("button", name=f"Move to {to}").click()
        admin.get_by_role("dialog").get_by_label("Reason").fill(f"{to} reached")
        admin.get_by_role("dialog").get_by_role("button", name=f"Move to {to}").click()
        expect(admin.locator("main .card .badge").first).to_have_text(to)
    admin.get_by_role("button", name="Record effectiveness check").click()
    dialog = admin.get_by_role("dialog")
    dialog.get_by_label("Criteria (what was checked)").fill("seal failures in the next 3 lots")
    dialog.get_by_label("Evidence (what was seen)").fill("0 of 300 sampled seals failed")
    dialog.get_by_label("Result").select_option("effective")
    dialog.get_by_role("button", name="Record check").click()
    expect(admin.get_by_text("verified effective")).to_be_visible()
    quiet_shot(admin, "capa")
    admin.get_by_role("button", name="Close CAPA").click()
    dialog = admin.get_by_role("dialog")
    dialog.get_by_label("Reason").fill("actions done and verified effective")
    dialog.get_by_label("Your password (e-signature)").fill(PASSWORD)
    dialog.get_by_label("Meaning of this signature").select_option("approved")
    dialog.get_by_role("button", name="Close CAPA").click()
    expect(admin.locator("main .card .badge").first).to_have_text("closed")


def test_a_campaign_from_a_lot_scope_notifies_records_a_return_and_refuses_to_close(admin):  # noqa: F811
    admin.goto(f"/#/scope?kind=lot&id={quote(s.FG1, safe='')}")
    expect(admin.locator(".figure", has_text="serials affected").locator(".n")).to_have_text("3")
    admin.get_by_role("button", name="Start recall campaign").click()
    dialog = admin.get_by_role("dialog")
    dialog.get_by_label("Classification").select_option("II")
    dialog.get_by_label("Depth").select_option("user")
    dialog.get_by_label("Reason for the recall").fill("seal may leak after 6 months")
    dialog.get_by_role("button", name="Start campaign").click()
    expect(admin).to_have_url(re.compile(r"#/recalls/[^/?]+$"))
    expect(figure(admin, "notified")).to_have_text("0")
    admin.get_by_role("button", name=re.compile("Notify consignees")).click()
    expect(figure(admin, "notified")).to_have_text("2")
    expect(figure(admin, "returned")).to_have_text("0")
    outstanding = int(figure(admin, "outstanding").inner_text())
    admin.locator("tr", has_text=s.SITE[3]).get_by_role("button", name="Record returns").click()
    dialog = admin.get_by_role("dialog")
    dialog.get_by_label(re.compile("^Serials")).fill(s.D1)
    dialog.get_by_role("button", name="Record", exact=True).click()
    expect(figure(admin, "returned")).to_have_text("1")
    expect(figure(admin, "outstanding")).to_have_text(str(outstanding - 1))
    expect(admin.locator("#recall-chart")).to_be_visible()
    quiet_shot(admin, "recall-campaign")
    admin.get_by_role("button", name="Close campaign").click()
    dialog = admin.get_by_role("dialog")
    dialog.get_by_label("Reason").fill("all done")
    dialog.get_by_label("Your password (e-signature)").fill(PASSWORD)
    dialog.get_by_role("button", name="Close campaign").click()
    refused = admin.locator("#close-refused")
    expect(refused).to_contain_text("(409)")
    expect(refused).to_contain_text(f"{outstanding - 1} unit")
    expect(refused).not_to_contain_text(s.D1)


def test_the_campaign_list_shows_progress(admin, records):  # noqa: F811
    admin.goto("/#/recalls")
    row = admin.locator("#recall-list tr", has_text=records["campaign"])
    expect(row.get_by_role("progressbar", name=re.compile(r"^notified: 2 of 2"))).to_be_visible()
    quiet_shot(admin, "recalls")


def test_a_partner_acknowledges_its_own_notice_and_never_sees_another_partys(partner, records):  # noqa: F811
    partner.goto("/#/partner")  # no reference typed: the portal lists the partner's notices itself
    listing = partner.locator("#notice-list")
    card = listing.locator("article", has_text=records["campaign"])
    expect(card).to_have_count(1)
    expect(card).to_contain_text(s.SITE[3])
    card.get_by_role("button", name="Acknowledge").click()
    dialog = partner.get_by_role("dialog")
    dialog.get_by_label(re.compile("Units of the affected product")).fill("1")
    dialog.get_by_role("button", name="Acknowledge").click()
    expect(card.locator(".badge")).to_have_text("acknowledged")
    expect(card).to_contain_text("1 on hand")
    quiet_shot(partner, "partner-notices")
    other = partner.request.get(f"/v1/recalls/{records['campaign']}/notices/{quote(s.SITE[4], safe='')}")
    cards = listing.locator("article")
    assert (other.status, s.SITE[4] in listing.inner_text(),
            cards.count() == cards.filter(has_text=s.SITE[3]).count()) == (404, False, True)


def test_a_partner_gets_not_found_for_an_unknown_recall_reference(partner):  # noqa: F811
    partner.goto("/#/partner?recall=no-such-recall")
    expect(partner.locator("#notice-list")).to_contain_text("Not found")


def test_a_partner_narrows_its_notices_with_a_recall_reference(partner, records):  # noqa: F811
    partner.goto("/#/partner?recall=no-such-recall")
    expect(partner.locator("#notice-list")).to_contain_text("Not found")
    partner.get_by_label("Recall reference (optional)").fill(records["campaign"])
    partner.get_by_role("button", name="Filter").click()
    expect(partner.locator("#notice-list article")).to_have_count(1)


def test_a_notice_reply_link_opens_the_partner_page_with_its_notice(partner, records):  # noqa: F811
    html = partner.request.get(f"/v1/recalls/{records['campaign']}/notices/{quote(s.SITE[3], safe='')}"
                               "?format=html").text()
    reply = re.search(r'id="reply" href="([^"]+)"', html).group(1)
    partner.goto("/" + reply.split("/", 3)[3])  # the notice's link, on this test server
    expect(partner.locator("#notice-list article")).to_contain_text(s.SITE[3])


def test_resolver_style_lot_url_opens_the_lots_recall_scope(admin):  # noqa: F811
    admin.goto(f"/console/lot/{quote(s.FG1, safe='')}")
    expect(admin.locator(".figure", has_text="serials affected").locator(".n")).to_have_text("3")


def test_resolver_style_container_url_opens_the_containers_recall_scope(admin):  # noqa: F811
    admin.goto(f"/console/container/{quote(s.CASE, safe='')}")
    expect(admin.get_by_label("Identifier", exact=True)).to_have_value(s.CASE)
    expect(admin.get_by_label("Start kind")).to_have_value("container")


def test_a_partner_following_a_lot_link_lands_on_search(partner):  # noqa: F811
    partner.goto(f"/console/lot/{quote(s.FG1, safe='')}")
    expect(partner.locator("#search-result")).to_contain_text(s.FG1)


PAGES = {
    "investigations": ("recall-lead", lambda r: "/#/investigations", "#inv-list table"),
    "investigation": ("recall-lead", lambda r: f"/#/investigations/{r['investigation']}", "#tl-h"),
    "capas": ("recall-lead", lambda r: "/#/capas", "#capa-list table"),
    "capa": ("recall-lead", lambda r: f"/#/capas/{r['capa']}", "#hi-h"),
    "recalls": ("recall-lead", lambda r: "/#/recalls", "#recall-list table"),
    "recall": ("recall-lead", lambda r: f"/#/recalls/{r['campaign']}", "#rp-h"),
    "partner-notices": ("dist-co", lambda r: f"/#/partner?recall={r['campaign']}", "#notice-list article"),
}


@pytest.mark.parametrize("viewport", [DESKTOP, TABLET], ids=["1280x800", "820x1180"])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_accessibility_violations(browser, base_url, records, name, viewport):  # noqa: F811
    user, url, ready = PAGES[name]
    page = open_page(browser, base_url, viewport=viewport, user=user, bypass_csp=True)
    page.goto(url(records))
    expect(page.locator(ready).first).to_be_visible()
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
        .filter(v => ['serious', 'critical'].includes(v.impact))
        .map(v => `${v.id}: ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`)""")
    width = page.evaluate("document.documentElement.scrollWidth")
    page.context.close()
    assert (found, width <= viewport["width"]) == ([], True)

