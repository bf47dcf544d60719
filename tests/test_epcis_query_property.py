"""Property: every SimpleEventQuery answers exactly the events (in order) that an in-memory
filter over the captured JSON documents picks. The oracle below reads the standard's
semantics off the documents themselves; it shares no code with tracegraph/epcis_query."""
from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import schema
from loaders.epcis.document import parse_document
from tests import epcis as b
from tracegraph.capture.writer import write_document
from tracegraph.epcis_query import service
from tracegraph.security.models import Principal

EX = "https://ex.example.org/ns/"
TYPES = ["ObjectEvent", "AggregationEvent", "TransformationEvent", "TransactionEvent"]
STEPS = ["shipping", "receiving", "inspecting", "storing"]
DISPS = ["in_transit", "active", "in_progress"]
SERIALS = [b.sgtin(f"P{i}") for i in range(6)] + [b.sgtin(f"Q{i}", "712345") for i in range(3)]
CASES = [b.sscc(500 + i) for i in range(3)]
LOTS = [b.lgtin(f"K{i}") for i in range(3)]
SITES = [b.sgln(n) for n in range(1, 5)]
PARTIES = [f"urn:epc:id:pgln:{b.CP}.0000{n}" for n in range(1, 4)]
POS = [f"urn:epcglobal:cbv:bt:0614141000012:PO{n}" for n in range(3)]
T0 = datetime(2025, 3, 1, tzinfo=UTC)
SST, FLOORS, NAME = "urn:epcglobal:cbv:mda#sst", EX + "floors", "urn:epcglobal:cbv:mda#name"
# Location master data (EPCIS header): site 4 has none, so HASATTR_/EQ_ATTR_ can miss it.
MASTER = {SITES[0]: {SST: "201", NAME: "Plant"}, SITES[1]: {SST: "202", FLOORS: 3},
          SITES[2]: {FLOORS: 1, NAME: "Depot"}}
ADMIN = Principal(id="property", roles=frozenset({"admin"}))


def _time(minutes: int) -> str:
    return (T0 + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _events(rng: random.Random) -> list[dict]:
    out = []
    for i in range(70):
        kind = rng.choice(TYPES)
        ev: dict = {"type": kind, "eventID": f"urn:uuid:7e000000-0000-4000-8000-{i:012d}",
                    "eventTime": _time(rng.randint(0, 200)), "eventTimeZoneOffset": "+00:00"}
        if kind != "TransformationEvent":
            ev["action"] = rng.choice(["ADD", "OBSERVE", "DELETE"])
        if rng.random() < 0.8:
            step = rng.choice(STEPS)
            ev["bizStep"] = step if rng.random() < 0.5 else f"https://ref.gs1.org/cbv/BizStep-{step}"
        if rng.random() < 0.7:
            ev["disposition"] = rng.choice(DISPS)
        if rng.random() < 0.7:
            ev["readPoint"] = {"id": rng.choice(SITES)}
        if rng.random() < 0.7:
            ev["bizLocation"] = {"id": rng.choice(SITES)}
        if kind == "ObjectEvent":
            epcs = rng.sample(SERIALS, rng.randint(0, 2))
            if epcs:
                ev["epcList"] = epcs
            if rng.random() < 0.5 or not epcs:
                ev["quantityList"] = [_quantity(rng)]
            if ev["action"] == "ADD" and rng.random() < 0.6:
                ev["ilmd"] = {"ex:lot": rng.choice(["L1", "L2", "L3"]), "ex:weight": rng.randint(1, 9)}
        elif kind in ("AggregationEvent", "TransactionEvent"):
            if kind == "AggregationEvent" or rng.random() < 0.5:
                ev["parentID"] = rng.choice(CASES)
            key = "childEPCs" if kind == "AggregationEvent" else "epcList"
            ev[key] = rng.sample(SERIALS, rng.randint(1, 2))
            if kind == "AggregationEvent" and rng.random() < 0.3:
                ev["childQuantityList"] = [_quantity(rng)]
        else:
            inputs = rng.sample(SERIALS, rng.randint(0, 2))
            if inputs:
                ev["inputEPCList"] = inputs
            ev["outputEPCList"] = rng.sample(SERIALS, rng.randint(1, 2))
            if rng.random() < 0.5 or not inputs:
                ev["inputQuantityList"] = [_quantity(rng)]
        if kind == "TransactionEvent" or rng.random() < 0.3:
            ev["bizTransactionList"] = [{"type": rng.choice(["po", "https://ref.gs1.org/cbv/BTT-inv"]),
                                         "bizTransaction": rng.choice(POS)}]
        if rng.random() < 0.3:
            ev["sourceList"] = [{"type": "owning_party", "source": rng.choice(PARTIES)}]
            ev["destinationList"] = [{"type": "https://ref.gs1.org/cbv/SDT-owning_party",
                                      "destination": rng.choice(PARTIES)}]
        if rng.random() < 0.4:
            ev["ex:temp"] = rng.randint(-5, 30)
        if rng.random() < 0.3:
            ev["sensorElementList"] = [{"sensorMetadata": {"time": _time(rng.randint(0, 200))},
                                        "sensorReport": [{"type": rng.choice(["gs1:Temperature", "gs1:Humidity"]),
                                                          "value": rng.randint(0, 40), "uom": "CEL"}]}]
        out.append(ev)
    return out


def _quantity(rng: random.Random) -> dict:
    q = {"epcClass": rng.choice(LOTS), "quantity": rng.randint(1, 50)}
    if rng.random() < 0.5:
        q["uom"] = "KGM"
    return q


EVENTS = _events(random.Random(19))


@pytest.fixture(scope="module")
def loaded(database):
    schema.reset(database)
    doc = b.document(EVENTS, [{"type": "urn:epcglobal:epcis:vtype:BusinessLocation", "vocabularyElementList": [
        {"id": site, "attributes": [{"id": k, "attribute": v} for k, v in attrs.items()]}
        for site, attrs in MASTER.items()]}])
    doc["@context"] = list(doc["@context"]) + [{"ex": EX}]
    write_document(database, parse_document(doc, "property"))
    return database


# -- the oracle -----------------------------------------------------------------------------

def _bare(value: str | None) -> str | None:
    if value is None:
        return None
    for prefix in ("https://ref.gs1.org/cbv/BizStep-", "https://ref.gs1.org/cbv/Disp-", "https://ref.gs1.org/cbv/BTT-",
                   "https://ref.gs1.org/cbv/SDT-"):
        if value.startswith(prefix):
            return value[len(prefix):]
    return value


def _ms(value: str) -> float:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() * 1000


def _quantities(ev: dict, lists=("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")):
    return [q for name in lists for q in ev.get(name, [])]


def _cmp(op: str, have: float, want: float) -> bool:
    return {"GT": have > want, "GE": have >= want, "LT": have < want, "LE": have <= want, "EQ": have == want}[op]


def _epc_match(values: list[str], epcs: list[str]) -> bool:
    for v in values:
        if v.endswith(".*"):
            prefix = v.replace("urn:epc:idpat:", "urn:epc:id:")[:-1]
            if any(e.startswith(prefix) for e in epcs):
                return True
        elif v in epcs:
            return True
    return False


def keep(ev: dict, name: str, value) -> bool:
    epc_fields = {"MATCH_epc": ["epcList", "childEPCs"], "MATCH_parentID": ["parentID"],
                  "MATCH_inputEPC": ["inputEPCList"], "MATCH_outputEPC": ["outputEPCList"],
                  "MATCH_anyEPC": ["epcList", "childEPCs", "parentID", "inputEPCList", "outputEPCList"]}
    if name == "eventType":
        return ev["type"] in value
    if name == "GE_eventTime":
        return _ms(ev["eventTime"]) >= _ms(value)
    if name == "LT_eventTime":
        return _ms(ev["eventTime"]) < _ms(value)
    if name == "EQ_action":
        return ev.get("action") in value
    if name == "EQ_bizStep":
        return _bare(ev.get("bizStep")) in value
    if name == "EQ_disposition":
        return ev.get("disposition") in value
    if name in ("EQ_readPoint", "WD_readPoint"):
        return ev.get("readPoint", {}).get("id") in value
    if name in ("EQ_bizLocation", "WD_bizLocation"):
        return ev.get("bizLocation", {}).get("id") in value
    for field in ("readPoint", "bizLocation"):
        attrs = MASTER.get(ev.get(field, {}).get("id"), {})
        if name == f"HASATTR_{field}":
            return any(a in attrs for a in value)
        if name.startswith(f"EQ_ATTR_{field}_"):
            have = attrs.get(name.removeprefix(f"EQ_ATTR_{field}_"))
            return have is not None and str(have) in value
    if name in epc_fields:
        epcs = []
        for f in epc_fields[name]:
            found = ev.get(f)
            epcs += found if isinstance(found, list) else [found] if found else []
        return _epc_match(value, epcs)
    if name == "MATCH_epcClass":
        return any(q["epcClass"] in value for q in _quantities(ev, ("quantityList", "childQuantityList")))
    if name == "MATCH_anyEPCClass":
        return any(q["epcClass"] in value for q in _quantities(ev))
    if name == "EQ_eventID":
        return ev["eventID"] in value
    if name.endswith("_quantity") or "_quantity_" in name:
        op, _, uom = name.partition("_quantity")
        qs = [q for q in _quantities(ev) if not uom or q.get("uom") == uom[1:]]
        wanted = value if isinstance(value, list) else [value]
        return any(_cmp(op, q["quantity"], w) for q in qs for w in wanted)
    if name.startswith("EQ_bizTransaction_"):
        kind = name.removeprefix("EQ_bizTransaction_")
        return any(_bare(t.get("type")) == kind and t["bizTransaction"] in value
                   for t in ev.get("bizTransactionList", []))
    for side in ("source", "destination"):
        if name.startswith(f"EQ_{side}_"):
            kind = name.removeprefix(f"EQ_{side}_")
            return any(_bare(x["type"]) == kind and x[side] in value for x in ev.get(f"{side}List", []))
    if name == "EXISTS_ILMD_ex:lot":
        return "ex:lot" in (ev.get("ilmd") or {})
    if name == "EQ_ILMD_ex:lot":
        return (ev.get("ilmd") or {}).get("ex:lot") in value
    if name.endswith("_ILMD_ex:weight"):
        have = (ev.get("ilmd") or {}).get("ex:weight")
        return have is not None and _cmp(name[:2], have, value)
    if name == "EXISTS_ex:temp":
        return "ex:temp" in ev
    if name.endswith("_ex:temp"):
        return "ex:temp" in ev and _cmp(name[:2], ev["ex:temp"], value)
    if name == "EXISTS_sensorElementList":
        return "sensorElementList" in ev
    reports = [r for el in ev.get("sensorElementList", []) for r in el["sensorReport"]]
    if name == "EQ_type":
        return any(r["type"] in value for r in reports)
    if name.endswith("_value_CEL"):
        return any(_cmp(name[:2], r["value"], value) for r in reports)
    if name in ("GE_time", "LT_time"):
        times = [_ms(el["sensorMetadata"]["time"]) for el in ev.get("sensorElementList", [])]
        return any(_cmp(name[:2], t, _ms(value)) for t in times)
    raise AssertionError(f"the oracle does not know {name}")


def oracle(query: dict) -> list[str]:
    picked = [ev for ev in EVENTS if all(keep(ev, k, v) for k, v in query.items()
                                         if k not in ("orderDirection", "eventCountLimit"))]
    sign = -1 if query.get("orderDirection") == "DESC" else 1
    picked.sort(key=lambda ev: (sign * _ms(ev["eventTime"]), ev["eventID"]))
    ids = [ev["eventID"] for ev in picked]
    return ids[:query["eventCountLimit"]] if "eventCountLimit" in query else ids


# -- queries --------------------------------------------------------------------------------

def some(pool) -> st.SearchStrategy:
    return st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique=True)


TIMES = [_time(m) for m in range(0, 201, 10)]
OPS = st.sampled_from(["GT", "GE", "LT", "LE"])
ATOMS = st.one_of(
    st.tuples(st.just("eventType"), some(TYPES)),
    st.tuples(st.sampled_from(["GE_eventTime", "LT_eventTime"]), st.sampled_from(TIMES)),
    st.tuples(st.just("EQ_action"), some(["ADD", "OBSERVE", "DELETE"])),
    st.tuples(st.just("EQ_bizStep"), some(STEPS)),
    st.tuples(st.just("EQ_disposition"), some(DISPS)),
    st.tuples(st.sampled_from(["EQ_readPoint", "EQ_bizLocation", "WD_bizLocation", "WD_readPoint"]), some(SITES)),
    st.tuples(st.sampled_from(["MATCH_epc", "MATCH_parentID", "MATCH_inputEPC", "MATCH_outputEPC",
                               "MATCH_anyEPC"]),
              some(SERIALS + CASES + [f"urn:epc:idpat:sgtin:{b.CP}.712345.*"])),
    st.tuples(st.sampled_from(["MATCH_epcClass", "MATCH_anyEPCClass"]), some(LOTS)),
    st.tuples(st.just("EQ_eventID"), some([ev["eventID"] for ev in EVENTS[:20]])),
    st.tuples(st.just("EQ_quantity"), some(list(range(1, 51)))),
    st.tuples(st.sampled_from(["GT_quantity", "GE_quantity", "LT_quantity", "LE_quantity", "GE_quantity_KGM",
                               "LT_quantity_KGM"]), st.integers(0, 51)),
    st.tuples(st.sampled_from(["EQ_bizTransaction_po", "EQ_bizTransaction_inv"]), some(POS)),
    st.tuples(st.sampled_from(["EQ_source_owning_party", "EQ_destination_owning_party"]), some(PARTIES)),
    st.tuples(st.just("EQ_ILMD_ex:lot"), some(["L1", "L2", "L3"])),
    st.tuples(st.sampled_from(["GT_ILMD_ex:weight", "LE_ILMD_ex:weight"]), st.integers(0, 10)),
    st.tuples(st.sampled_from(["EXISTS_ILMD_ex:lot", "EXISTS_ex:temp", "EXISTS_sensorElementList"]), st.none()),
    st.tuples(OPS.map(lambda op: f"{op}_ex:temp"), st.integers(-6, 31)),
    st.tuples(st.just("EQ_type"), some(["gs1:Temperature", "gs1:Humidity"])),
    st.tuples(OPS.map(lambda op: f"{op}_value_CEL"), st.integers(-1, 41)),
    st.tuples(st.sampled_from(["GE_time", "LT_time"]), st.sampled_from(TIMES)),
    st.tuples(st.sampled_from(["HASATTR_readPoint", "HASATTR_bizLocation"]), some([SST, FLOORS, NAME])),
    st.tuples(st.sampled_from([f"EQ_ATTR_{f}_{a}" for f in ("readPoint", "bizLocation") for a in (SST, FLOORS)]),
              some(["201", "202", "1", "3"])),
)
CONTROLS = st.fixed_dictionaries({}, optional={"orderDirection": st.sampled_from(["ASC", "DESC"]),
                                               "eventCountLimit": st.integers(1, 30)})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(atoms=st.lists(ATOMS, min_size=1, max_size=3), controls=CONTROLS)
def test_every_filter_answers_what_the_documents_say(loaded, atoms, controls):
    query = {**dict(atoms), **controls}
    q = service.parse(loaded, query)
    q.per_page = 1000
    rows, _ = service.run_query(loaded, q, ADMIN)
    assert [r["event_id"] for r in rows] == oracle(query)


def test_the_generated_data_exercises_every_filter_kind(loaded):
    """Guard against a vacuous property: each family of filters matches something."""
    probes = [{"EQ_bizTransaction_po": POS}, {"EQ_source_owning_party": PARTIES}, {"EQ_ILMD_ex:lot": ["L1"]},
              {"GT_ex:temp": 0}, {"EQ_type": ["gs1:Temperature"]}, {"MATCH_parentID": CASES},
              {"MATCH_anyEPCClass": LOTS}, {"GE_quantity_KGM": 1}, {"GE_time": TIMES[0]},
              {"HASATTR_bizLocation": [SST]}, {f"EQ_ATTR_readPoint_{FLOORS}": ["3"]}]
    assert all(oracle(p) for p in probes)
