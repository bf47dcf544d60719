"""Recall campaigns: create from a snapshotted scope, issue notices, record responses and
returns, measure progress, draw effectiveness checks, and terminate when accounted for.

Snapshot: the campaign keeps the scope's serials (AFFECTS) and each notice keeps its
serials, so later data never changes who was notified; `rescope` shows what the data
says now and adds consignees only when asked.

Returns and destructions captured as EPCIS events are counted at read time from the
events recorded since the campaign opened (`campaigns/returns`): derived from the graph
whenever asked, they cannot drift from it, and no capture hook has to know about
campaigns. Dispositions given through the API are stored on AFFECTS and win.
"""
from __future__ import annotations

import json
import math
import random
import uuid
from collections import defaultdict
from datetime import UTC, datetime

from neo4j import ManagedTransaction

from core.errors import InvalidIdentifier, NotFound
from graph.db import Database, run
from graph.db import native as _native
from tracegraph.audit import service as audit
from tracegraph.campaigns import consignees
from tracegraph.campaigns.enums import Disposition, Level, NoticeState, RecallType, State
from tracegraph.campaigns.errors import IllegalTransition, NotInCampaign, UnitsOutstanding, UnknownInvestigation
from tracegraph.campaigns.models import (
    Campaign,
    CampaignNotice,
    CampaignRequest,
    Check,
    CheckRequest,
    CheckResultRequest,
    ConsigneeStatus,
    Notice,
    NoticeLine,
    NoticePage,
    Outstanding,
    RegionStatus,
    Rescope,
    SampledConsignee,
    Status,
    UnitReturn,
)
from tracegraph.identity import canonical_epc
from tracegraph.recalls import service as scopes
from tracegraph.recalls.models import ScopeRequest

CHUNK = 2000
ACTIONS = {
    RecallType.removal: "Stop using and distributing the listed units, quarantine them and return them to the "
                        "manufacturer. Tell us how many units you have on hand.",
    RecallType.correction: "Stop using the listed units until they are corrected as described; keep them for "
                           "correction on site or return them for correction.",
    RecallType.advisory: "Read the advice in this notice and follow it for the listed units; pass it on to "
                         "everyone who uses them.",
}
PERCENT = {Level.A: 100.0, Level.B: 25.0, Level.C: 10.0, Level.D: 2.0, Level.E: 0.0}
DESTROYING = {"decommissioning", "destroying"}
DESTROYED = {"destroyed", "disposed"}


def _now() -> str:
    return datetime.now(UTC).isoformat()


# --- reading -------------------------------------------------------------------------------------------------

def _campaign(row: dict) -> Campaign:
    c = {k: _native(v) for k, v in row["campaign"].items()}
    c["starts"] = json.loads(c["starts"])
    return Campaign(**c, notices=row["notices"])


def get(db: Database, campaign_id: str) -> Campaign:
    rows = db.read("campaigns/get", id=campaign_id)
    if not rows:
        raise NotFound(f"no recall campaign {campaign_id}", field="id")
    return _campaign(rows[0])


def list_campaigns(db: Database, state: State | None = None, limit: int = 100) -> list[Campaign]:
    return [_campaign(r) for r in db.read("campaigns/list", state=state.value if state else None, limit=limit)]


def _notice(row: dict, action: str) -> Notice:
    n = {k: _native(v) for k, v in row.items()}
    lines = [NoticeLine(**x) for x in json.loads(n.pop("lines"))]
    lots = sorted({x.lot for x in lines if x.lot})
    gtins = sorted({x.gtin for x in lines if x.gtin})
    return Notice(**{k: v for k, v in n.items() if k in Notice.model_fields}, lines=lines, lots=lots, gtins=gtins,
                  action=action)


def notices(db: Database, campaign_id: str, party: str | None = None) -> list[Notice]:
    """Every notice; for a partner (`party`) only its own: another party's campaign is a 404."""
    camp = get(db, campaign_id)
    found = [_notice(r["notice"], camp.action) for r in db.read("campaigns/notices", id=campaign_id, party=party)]
    if party is not None and not found:
        raise NotFound(f"no recall campaign {campaign_id}", field="id")
    return found


def all_notices(db: Database, *, party: str | None, partner: bool, site: str | None = None,
                campaign: str | None = None, limit: int = 100, offset: int = 0) -> NoticePage:
    """Notices across campaigns. A partner (`partner`) gets only its own party's issued ones; an
    unknown campaign filter is an empty page, like one with no notice for the caller (reveals nothing)."""
    name = "campaigns/party_notices" if partner else "campaigns/all_notices"
    site = _site_epc(db, site, "site") if site else None
    row = db.read(name, party=party, site=site, campaign=campaign, limit=limit, offset=offset)[0]
    found = [CampaignNotice(**_notice(r["notice"], r["campaign"]["action"]).model_dump(), campaign=r["campaign"]["id"],
                            campaign_state=r["campaign"]["state"], classification=r["campaign"]["classification"],
                            type=r["campaign"]["type"], reason=r["campaign"]["reason"]) for r in row["page"]]
    more = offset + len(found) < row["total"]
    return NoticePage(notices=found, count=len(found), total=row["total"],
                      next_offset=offset + len(found) if more and found else None)


def notice(db: Database, campaign_id: str, site: str, party: str | None = None) -> Notice:
    for n in notices(db, campaign_id, party):
        if n.site == site:
            return n
    raise NotFound(f"recall campaign {campaign_id} has no notice to site {site}", field="site")


# --- creating ------------------------------------------------------------------------------------------------

def _shipments(db: Database, serials: list[str]) -> dict[str, list[consignees.Trip]]:
    out: dict[str, list[consignees.Trip]] = {}
    for i in range(0, len(serials), CHUNK):
        for r in db.lookup("campaigns/shipments", epcs=serials[i:i + CHUNK]):
            out[r["epc"]] = consignees.trips_from_rows(r["trips"])
    return out


def _site_owners(db: Database, sites: set[str]) -> dict[str, str | None]:
    ordered, out = sorted(sites), {}
    for i in range(0, len(ordered), CHUNK):
        out.update({r["site"]: r["party"] for r in db.lookup("campaigns/site_owners", epcs=ordered[i:i + CHUNK])})
    return out


def _plan(db: Database, starts: list, depth) -> tuple[list[str], dict[str, tuple], set[str], consignees.Plan]:
    """The scope now: its serials, (gtin, lot) of each, the firm, and the consignee plan."""
    scope = scopes.compute(db, ScopeRequest(starts=starts))
    serials = scope.serials
    what = {}
    for epc in serials:
        node = scope.closure.nodes[scope.node_of[epc]]
        what[epc] = (node.gtin, node.of_lot)
    gtins = sorted({g for g, _ in what.values() if g})
    firm = set(db.lookup("campaigns/firm", gtins=gtins)[0]["parties"])
    trips = _shipments(db, serials)
    places = {s for ts in trips.values() for t in ts for s in (t.source, *t.destinations) if s}
    plan = consignees.plan(trips, _site_owners(db, places), firm, depth)
    return serials, what, firm, plan


def _notice_rows(db: Database, plan: consignees.Plan, what: dict[str, tuple], sites: list[str]) -> list[dict]:
    info = scopes._site_master(db, set(sites))
    rows = []
    for site in sites:
        serials = sorted(plan.sites[site])
        master = info.get(site, {})
        party = master.get("party") or {}
        lines: dict[tuple, int] = defaultdict(int)
        for epc in serials:
            lines[what.get(epc, (None, None))] += 1
        address = ", ".join(x for x in (master.get("street"), master.get("postal_code"), master.get("city"),
                                        master.get("country_code")) if x)
        rows.append({"id": str(uuid.uuid4()), "site": site, "party": party.get("epc") or plan.owners.get(site),
                     "site_name": master.get("name"), "party_name": party.get("name"),
                     "region": master.get("region") or party.get("region"), "contact": party.get("contact"),
                     "address": address or None, "country_code": master.get("country_code"),
                     "serials": serials, "quantity": len(serials), "direct": site in plan.direct,
                     "lines": json.dumps([{"gtin": g, "lot": lot, "quantity": n}
                                          for (g, lot), n in sorted(lines.items(), key=lambda x: (x[0][0] or "",
                                                                                                   x[0][1] or ""))])})
    return rows


def create(db: Database, request: CampaignRequest, *, actor: str, request_id: str | None = None) -> Campaign:
    if request.investigation_id and not db.read("campaigns/investigation", id=request.investigation_id):
        raise UnknownInvestigation(f"no investigation {request.investigation_id}", field="investigation_id")
    serials, what, firm, plan = _plan(db, request.starts, request.depth)
    consigned = {epc for found in plan.sites.values() for epc in found}
    rows = _notice_rows(db, plan, what, sorted(plan.sites))
    campaign_id = str(uuid.uuid4())
    starts = json.dumps([s.model_dump(mode="json", by_alias=True, exclude_none=True) for s in request.starts])
    now = _now()

    def work(tx: ManagedTransaction) -> None:
        run(tx, "campaigns/create", id=campaign_id, now=now, actor=actor,
            classification=request.classification.value, type=request.type.value, depth=request.depth.value,
            reason=request.reason, health_hazard=request.health_hazard,
            action=request.action or ACTIONS[request.type], starts=starts,
            investigation_id=request.investigation_id, firm=sorted(firm), own_sites=sorted(plan.own),
            scope_serials=len(serials))
        affects = [{"epc": epc, "consigned": epc in consigned} for epc in serials]
        for i in range(0, len(affects), CHUNK):
            run(tx, "campaigns/affects", id=campaign_id, rows=affects[i:i + CHUNK])
        for i in range(0, len(rows), 200):
            run(tx, "campaigns/notices_create", id=campaign_id, rows=rows[i:i + 200], now=now)
        audit.record(tx, actor=actor, action="recall.campaign.create", subject=campaign_id, reason=request.reason,
                     after={"request": request.model_dump(mode="json"), "serials": len(serials),
                            "units_in_scope": len(consigned), "notices": len(rows)}, request_id=request_id)

    db.write_tx(work)
    return get(db, campaign_id)


# --- state steps ---------------------------------------------------------------------------------------------

def _require(camp: Campaign, allowed: set[State], step: str) -> None:
    if camp.state not in allowed:
        names = sorted(s.value for s in allowed)
        raise IllegalTransition(f"cannot {step} a campaign that is {camp.state.value}; allowed from: "
                                f"{', '.join(names)}", field="state", allowed=names, state=camp.state.value)


def notify(db: Database, campaign_id: str, *, actor: str, request_id: str | None = None) -> list[str]:
    """Issue the draft notices (open → in_progress); the ids of those issued now."""
    camp = get(db, campaign_id)
    _require(camp, {State.open, State.in_progress}, "issue notices of")
    now = _now()

    def work(tx: ManagedTransaction) -> list[str]:
        ids = run(tx, "campaigns/issue", id=campaign_id, sites=None, now=now, actor=actor)[0]["ids"]
        run(tx, "campaigns/set_state", id=campaign_id, now=now, to=State.in_progress.value,
            **{"from": [State.open.value, State.in_progress.value]}, extra={})
        audit.record(tx, actor=actor, action="recall.campaign.notify", subject=campaign_id,
                     before={"state": camp.state.value}, after={"state": "in_progress", "issued": sorted(ids)},
                     request_id=request_id)
        return ids

    return db.write_tx(work)


def _site_epc(db: Database, value: str, field: str) -> str:
    epc = canonical_epc(db, value, field)
    if not epc.startswith("urn:epc:id:sgln:"):
        raise InvalidIdentifier(f"a consignee is a site (urn:epc:id:sgln:...), got {epc}", field=field)
    return epc


def acknowledge(db: Database, campaign_id: str, site: str, units_on_hand: int | None, note: str | None, *,
                actor: str, party: str | None = None, request_id: str | None = None) -> Notice:
    site = _site_epc(db, site, "site")
    found = notice(db, campaign_id, site, party)  # 404 for a partner's foreign notice
    camp = get(db, campaign_id)
    _require(camp, {State.in_progress}, "acknowledge a notice of")
    if found.state == NoticeState.draft:
        raise IllegalTransition(f"the notice to {site} has not been issued yet; allowed from: issued, acknowledged",
                                field="site", allowed=["acknowledged", "issued"], state="draft")

    def work(tx: ManagedTransaction) -> None:
        run(tx, "campaigns/ack", id=campaign_id, site=site, now=_now(), actor=actor, units_on_hand=units_on_hand,
            note=note)
        audit.record(tx, actor=actor, action="recall.notice.acknowledge", subject=found.id, reason=note,
                     before={"state": found.state.value},
                     after={"state": "acknowledged", "site": site, "units_on_hand": units_on_hand},
                     request_id=request_id)

    db.write_tx(work)
    return notice(db, campaign_id, site, party)


def site_units(db: Database, campaign_id: str, site: str, disposition: Disposition, note: str | None,
               party: str | None = None) -> list[UnitReturn]:
    """Every unit of one consignee's notice, with one disposition (a consignee's whole return)."""
    found = notice(db, campaign_id, _site_epc(db, site, "site"), party)
    return [UnitReturn(serial=epc, disposition=disposition, note=note) for epc in found.serials]


def record_units(db: Database, campaign_id: str, units: list[UnitReturn], *, actor: str, party: str | None = None,
                 request_id: str | None = None) -> int:
    """Dispositions of affected serials. A partner may record only serials of its own notices."""
    camp = get(db, campaign_id)
    mine = notices(db, campaign_id, party)
    _require(camp, {State.open, State.in_progress}, "record returns for")
    where: dict[str, list[str]] = defaultdict(list)
    for n in mine:
        for epc in n.serials:
            where[epc].append(n.site)
    affected = {r["epc"] for r in db.read("campaigns/dispositions", id=campaign_id)}
    rows = []
    for i, unit in enumerate(units):
        field = f"units[{i}].serial"
        epc = canonical_epc(db, unit.serial, field)
        if party is not None and epc not in where:
            raise NotFound(f"{epc} is not on any of your notices of campaign {campaign_id}", field=field)
        if epc not in affected:
            raise NotInCampaign(f"{epc} is not affected by recall campaign {campaign_id}", field=field)
        rows.append({"epc": epc, "disposition": unit.disposition.value, "note": unit.note,
                     "site": (where.get(epc) or [None])[0]})

    def work(tx: ManagedTransaction) -> None:
        run(tx, "campaigns/set_disposition", id=campaign_id, rows=rows, now=_now(), actor=actor)
        audit.record(tx, actor=actor, action="recall.units.record", subject=campaign_id,
                     after={"units": rows}, request_id=request_id)

    db.write_tx(work)
    return len(rows)


# --- progress ------------------------------------------------------------------------------------------------

def _classify(events: list, own: set[str]) -> Disposition | None:
    found = None
    for direct, kind, action, step, disposition, dests in events:
        if direct and ((kind == "ObjectEvent" and action == "DELETE") or step in DESTROYING
                       or disposition in DESTROYED):
            found = Disposition.destroyed
        elif disposition == "returned" or step == "returning" or step == "shipping" and any(d in own for d in dests):
            found = Disposition.returned
    return found


def dispositions(db: Database, camp: Campaign) -> tuple[dict[str, Disposition | None], dict[str, str]]:
    """Per consigned serial: its disposition (API first, then events) or None; and the source."""
    rows = db.read("campaigns/dispositions", id=camp.id)
    consigned = [r["epc"] for r in rows if r["consigned"]]
    out: dict[str, Disposition | None] = {epc: None for epc in consigned}
    source: dict[str, str] = {}
    events: dict[str, list] = {}
    since = camp.created
    for i in range(0, len(consigned), CHUNK):
        for r in db.lookup("campaigns/returns", epcs=consigned[i:i + CHUNK], since=since):
            events[r["epc"]] = r["events"]
    dests = {d for evs in events.values() for ev in evs for d in ev[5]}
    firm = set(camp.firm)
    own = set(db.read("campaigns/get", id=camp.id)[0]["campaign"].get("own_sites") or [])
    own |= {site for site, party in _site_owners(db, dests).items() if party in firm}
    for epc, evs in events.items():
        found = _classify(evs, own)
        if found is not None:
            out[epc], source[epc] = found, "event"
    for r in rows:
        if r["consigned"] and r["disposition"]:
            out[r["epc"]], source[r["epc"]] = Disposition(r["disposition"]), "recorded"
    return out, source


def _figures(serials, disp: dict) -> dict:
    counts = defaultdict(int)
    for epc in serials:
        counts[disp.get(epc)] += 1
    return {"units_in_scope": len(serials), "units_returned": counts[Disposition.returned],
            "units_corrected": counts[Disposition.corrected], "units_destroyed": counts[Disposition.destroyed],
            "units_justified": counts[Disposition.justified], "units_outstanding": counts[None]}


def status(db: Database, campaign_id: str) -> Status:
    camp = get(db, campaign_id)
    every = notices(db, campaign_id)
    disp, _ = dispositions(db, camp)
    rows, regions = [], defaultdict(list)
    for n in every:
        notified = n.state != NoticeState.draft
        row = ConsigneeStatus(site=n.site, site_name=n.site_name, party=n.party, region=n.region,
                              notified=notified, responded=n.state == NoticeState.acknowledged,
                              units_on_hand=n.units_on_hand, **_figures(n.serials, disp))
        rows.append(row)
        regions[n.region or "unknown"].append((row, n.serials))
    by_region = {}
    for region, members in sorted(regions.items()):
        serials = sorted({epc for _, s in members for epc in s})
        by_region[region] = RegionStatus(consignees=len(members), **_counts([m for m, _ in members]),
                                         **_figures(serials, disp))
    return Status(id=camp.id, state=camp.state, consignees=len(rows), **_counts(rows),
                  by_consignee=rows, by_region=by_region, **_figures(sorted(disp), disp))


def _counts(rows: list[ConsigneeStatus]) -> dict:
    notified = sum(r.notified for r in rows)
    responded = sum(r.responded for r in rows)
    return {"consignees_notified": notified, "consignees_responded": responded,
            "consignees_not_responded": notified - responded}


def outstanding(db: Database, campaign_id: str) -> list[Outstanding]:
    camp = get(db, campaign_id)
    disp, _ = dispositions(db, camp)
    where: dict[str, list[str]] = defaultdict(list)
    for n in notices(db, campaign_id):
        for epc in n.serials:
            where[epc].append(n.site)
    return [Outstanding(serial=epc, sites=sorted(where.get(epc, []))) for epc in sorted(disp) if disp[epc] is None]


def close(db: Database, campaign_id: str, *, actor: str, reason: str | None = None,
          request_id: str | None = None) -> Campaign:
    """Terminate (21 CFR 7.55): only when every unit in scope is accounted for. The caller
    wraps this in `esign.signed(...)` so the audit record carries the e-signature."""
    camp = get(db, campaign_id)
    _require(camp, {State.open, State.in_progress}, "terminate")
    left = outstanding(db, campaign_id)
    if left:
        raise UnitsOutstanding(f"{len(left)} unit(s) in scope are not accounted for (returned, corrected, destroyed "
                               f"or justified)", field="id", outstanding=[o.model_dump() for o in left])
    now = _now()

    def work(tx: ManagedTransaction) -> None:
        run(tx, "campaigns/set_state", id=campaign_id, now=now, to=State.terminated.value,
            **{"from": [State.open.value, State.in_progress.value]},
            extra={"terminated": datetime.fromisoformat(now), "terminated_by": actor, "termination_reason": reason})
        audit.record(tx, actor=actor, action="recall.campaign.terminate", subject=campaign_id, reason=reason,
                     before={"state": camp.state.value}, after={"state": "terminated"}, request_id=request_id)

    db.write_tx(work)
    return get(db, campaign_id)


# --- re-scope ------------------------------------------------------------------------------------------------

def _rescope(db: Database, camp: Campaign):
    from tracegraph.recalls.models import StartPoint
    serials, what, _, plan = _plan(db, [StartPoint(**s) for s in camp.starts], camp.depth)
    snapshot = {r["epc"] for r in db.read("campaigns/dispositions", id=camp.id)}
    have = {n.site: set(n.serials) for n in notices(db, camp.id)}
    return serials, what, plan, snapshot, have


def rescope(db: Database, campaign_id: str) -> Rescope:
    camp = get(db, campaign_id)
    serials, what, plan, snapshot, have = _rescope(db, camp)
    new_sites = sorted(s for s in plan.sites if s not in have)
    added = [_notice({**r, "state": "draft"}, camp.action) for r in _notice_rows(db, plan, what, new_sites)]
    changed = {s: sorted(plan.sites[s] - have[s]) for s in sorted(plan.sites) if s in have and plan.sites[s] - have[s]}
    return Rescope(serials_added=sorted(set(serials) - snapshot), serials_removed=sorted(snapshot - set(serials)),
                   consignees_added=added, consignees_changed=changed)


def add_consignees(db: Database, campaign_id: str, sites: list[str], *, actor: str,
                   request_id: str | None = None) -> Rescope:
    """Add these new consignee sites (from `rescope`) with draft notices; then `notify`."""
    camp = get(db, campaign_id)
    _require(camp, {State.open, State.in_progress}, "add consignees to")
    _serials, what, plan, _snapshot, have = _rescope(db, camp)
    chosen = []
    for i, value in enumerate(sites):
        site = _site_epc(db, value, f"sites[{i}]")
        if site in have:
            raise NotInCampaign(f"{site} already has a notice", field=f"sites[{i}]")
        if site not in plan.sites:
            raise NotInCampaign(f"the data shows no affected serial shipped to {site}", field=f"sites[{i}]")
        chosen.append(site)
    chosen = sorted(set(chosen))
    rows = _notice_rows(db, plan, what, chosen)
    new = sorted({epc for s in chosen for epc in plan.sites[s]})
    now = _now()

    def work(tx: ManagedTransaction) -> None:
        run(tx, "campaigns/affects", id=campaign_id, rows=[{"epc": e, "consigned": True} for e in new])
        run(tx, "campaigns/notices_create", id=campaign_id, rows=rows, now=now)
        audit.record(tx, actor=actor, action="recall.campaign.rescope", subject=campaign_id,
                     after={"sites": chosen, "serials": new}, request_id=request_id)

    db.write_tx(work)
    return rescope(db, campaign_id)


# --- effectiveness checks (21 CFR 7.42(b)(3)) ----------------------------------------------------------------

def _check(row: dict) -> Check:
    k = {key: _native(v) for key, v in row["check"].items()}
    sample = [SampledConsignee(site=s, result=r, note=note, checked_by=by) for s, r, note, by in row["sample"]]
    failures = [s.site for s in sample if s.result is not None and s.result != "effective"]
    return Check(id=k["id"], level=k["level"], percent=k["percent"], seed=k["seed"], population=k["population"],
                 created=k["created"], created_by=k["created_by"], sample=sample,
                 pending=sum(s.result is None for s in sample), failures=failures, failed=bool(failures))


def draw(population: list[str], level: Level, percent: float | None, seed: int) -> tuple[float, list[str]]:
    """The share and the sorted sample of consignees for a level (seeded: the same seed, the same sample)."""
    share = percent if level == Level.B and percent is not None else PERCENT[level]
    size = math.ceil(len(population) * share / 100)
    if share and population:
        size = max(size, 1)
    return share, sorted(random.Random(seed).sample(sorted(population), min(size, len(population))))


def create_check(db: Database, campaign_id: str, request: CheckRequest, *, actor: str,
                 request_id: str | None = None) -> Check:
    camp = get(db, campaign_id)
    _require(camp, {State.in_progress}, "check the effectiveness of")
    if request.percent is not None and request.level != Level.B:
        raise InvalidIdentifier("a percent is chosen for level B only", field="percent")
    population = [n.site for n in notices(db, campaign_id) if n.state != NoticeState.draft]
    seed = request.seed if request.seed is not None else random.SystemRandom().randrange(2**63)
    share, sample = draw(population, request.level, request.percent, seed)
    check_id = str(uuid.uuid4())

    def work(tx: ManagedTransaction) -> None:
        run(tx, "campaigns/check_create", id=campaign_id, check=check_id, level=request.level.value, percent=share,
            seed=seed, population=len(population), sample=sample, now=_now(), actor=actor)
        audit.record(tx, actor=actor, action="recall.check.create", subject=check_id,
                     after={"campaign": campaign_id, "level": request.level.value, "seed": seed, "sample": sample},
                     request_id=request_id)

    db.write_tx(work)
    return checks(db, campaign_id, check_id)[0]


def checks(db: Database, campaign_id: str, check_id: str | None = None) -> list[Check]:
    get(db, campaign_id)
    found = [_check(r) for r in db.read("campaigns/checks", id=campaign_id, check=check_id)]
    if check_id is not None and not found:
        raise NotFound(f"recall campaign {campaign_id} has no effectiveness check {check_id}", field="check_id")
    return found


def record_check(db: Database, campaign_id: str, check_id: str, request: CheckResultRequest, *, actor: str,
                 request_id: str | None = None) -> Check:
    check = checks(db, campaign_id, check_id)[0]
    site = _site_epc(db, request.site, "site")
    if site not in {s.site for s in check.sample}:
        raise NotInCampaign(f"{site} is not in the sample of check {check_id}", field="site")

    def work(tx: ManagedTransaction) -> None:
        run(tx, "campaigns/check_result", id=campaign_id, check=check_id, site=site, result=request.result.value,
            note=request.note, now=_now(), actor=actor)
        audit.record(tx, actor=actor, action="recall.check.result", subject=check_id, reason=request.note,
                     after={"site": site, "result": request.result.value}, request_id=request_id)

    db.write_tx(work)
    return checks(db, campaign_id, check_id)[0]


def deliveries(db: Database, campaign_id: str) -> list[dict]:
    get(db, campaign_id)
    return [{k: _native(v) for k, v in r["delivery"].items()} for r in db.read("campaigns/deliveries", id=campaign_id)]
