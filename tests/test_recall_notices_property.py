"""Property: for random packing and shipping histories (nested containers, unpack and
repack, re-shipping, sites whose owner only the EPCIS owning_party names, sites nobody
names), every notice lists exactly the serials a networkx oracle finds shipped to that
consignee, computed straight from the events (tests/oracle.py resolves containers by time)."""
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import schema
from loaders.epcis.document import parse_document
from tests import epcis as b
from tests.oracle import Oracle
from tracegraph.campaigns import service
from tracegraph.campaigns.models import CampaignRequest
from tracegraph.capture.writer import write_document

MFR, DIST, OTHER, HOSP = (f"urn:epc:id:pgln:0614141.0000{n}" for n in (1, 3, 9, 4))
OWNER = {1: MFR, 2: MFR, 3: DIST, 4: OTHER, 5: HOSP, 6: HOSP}
LOT = b.lgtin("L", "812345")
MAX_NEST = 3


def master(known: dict[int, bool]) -> list[dict]:
    name, owner = "urn:epcglobal:cbv:mda#name", "https://tracegraph.dev/mda#owner"
    return [
        {"type": "urn:epcglobal:epcis:vtype:Party", "vocabularyElementList": [
            {"id": party, "attributes": [{"id": name, "attribute": party[-5:]}]}
            for party in sorted(set(OWNER.values()))]},
        {"type": "urn:epcglobal:epcis:vtype:BusinessLocation", "vocabularyElementList": [
            {"id": b.sgln(site), "attributes": [{"id": owner, "attribute": OWNER[site]}]}
            for site in sorted(known) if known[site]]},
        {"type": "urn:epcglobal:epcis:vtype:EPCClass", "vocabularyElementList": [
            {"id": "urn:epc:idpat:sgtin:0614141.812345.*", "attributes": [
                {"id": "https://tracegraph.dev/mda#manufacturer", "attribute": MFR}]}]},
    ]


def history(rng: random.Random):
    """Events, which sites master data names, which shipments declare owning parties."""
    known = {site: site == 1 or rng.random() < 0.4 for site in OWNER}
    declares = {site: rng.random() < 0.7 for site in OWNER}
    serials = [b.sgtin(f"X{i}") for i in range(rng.randint(2, 6))]
    others = [b.sgtin(f"Y{i}") for i in range(rng.randint(0, 3))]
    raw = b.lgtin("RAW")
    events = [b.commission_lot(raw, 0, site=1),
              b.transform(1, input_lots=[raw], outputs=serials, lot_number="L", site=1)]
    if others:
        events.append(b.transform(2, input_lots=[raw], outputs=others, lot_number="M", site=1))
    where = {obj: 1 for obj in serials + others}  # top-level objects -> site
    contents: dict[str, list[str]] = {}
    nest = {obj: 0 for obj in serials + others}
    t, boxes = 10, 0
    for _ in range(rng.randint(4, 18)):
        t += 1
        op = rng.choice(["pack", "pack", "unpack", "ship", "ship", "ship"])
        site = rng.choice(sorted(set(where.values())))
        here = sorted(o for o, s in where.items() if s == site)
        if op == "pack":
            kids = rng.sample(here, rng.randint(1, min(3, len(here))))
            if max(nest[k] for k in kids) + 1 > MAX_NEST:
                continue
            boxes += 1
            box = b.sscc(boxes)
            events.append(b.pack(box, kids, t, site=site))
            contents[box], nest[box] = kids, max(nest[k] for k in kids) + 1
            for k in kids:
                del where[k]
            where[box] = site
        elif op == "unpack":
            full = [o for o in here if contents.get(o)]
            if not full:
                continue
            box = rng.choice(full)
            kids = rng.sample(contents[box], rng.randint(1, len(contents[box])))
            events.append(b.unpack(box, kids, t, site=site))
            contents[box] = [k for k in contents[box] if k not in kids]
            for k in kids:
                where[k] = site
        else:
            obj = rng.choice(here)
            dest = rng.choice([s for s in OWNER if s != site])
            ev = b.ship([obj], t, site=site, destination=dest)
            if declares[site]:
                ev["sourceList"] = [{"type": "owning_party", "source": OWNER[site]}]
            if declares[dest]:
                ev["destinationList"].append({"type": "owning_party", "destination": OWNER[dest]})
            events.append(ev)
            where[obj] = dest
    return events, known, serials


def oracle(events: list[dict], owners: dict[str, str], firm: set[str], serials: list[str],
           depth: str) -> dict[str, list[str]]:
    """Written apart from tracegraph.campaigns: owners from master data (`owners`), else the
    owning party the shipping events name; then each serial's shipments (containers by time)."""
    owner = dict(owners)
    for ev in events:
        places = [d["destination"] for d in ev.get("destinationList", []) if d["type"] == "location"]
        parties = [d["destination"] for d in ev.get("destinationList", []) if d["type"] == "owning_party"]
        for place in places:
            if owner.get(place) is None and len(parties) == 1:
                owner[place] = parties[0]
        src = (ev.get("bizLocation") or {}).get("id")
        src_parties = [d["source"] for d in ev.get("sourceList", []) if d["type"] == "owning_party"]
        if src and owner.get(src) is None and len(src_parties) == 1:
            owner[src] = src_parties[0]

    def own(site):
        return site is None or owner.get(site) in firm

    o = Oracle(events)
    out: dict[str, set[str]] = {}
    for serial in serials:
        for ev in o.observations(serial):
            src = (ev.get("bizLocation") or {}).get("id")
            for d in ev.get("destinationList", []):
                if d["type"] != "location" or own(d["destination"]) or (depth == "wholesale" and not own(src)):
                    continue
                out.setdefault(d["destination"], set()).add(serial)
    return {site: sorted(found) for site, found in out.items()}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rng=st.randoms(use_true_random=False), depth=st.sampled_from(["wholesale", "retail", "user"]))
def test_each_notice_lists_exactly_the_oracles_serials(database, rng, depth):
    schema.reset(database)
    events, known, serials = history(rng)
    write_document(database, parse_document(b.document(events, master(known)), "random"))
    campaign = service.create(database, CampaignRequest(starts=[{"kind": "lot", "id": LOT}], classification="II",
                                                        type="removal", depth=depth, reason="property"), actor="t")
    got = {n.site: n.serials for n in service.notices(database, campaign.id)}
    owners = {b.sgln(site): OWNER[site] for site, named in known.items() if named}
    assert got == oracle(events, owners, {MFR}, serials, depth)
