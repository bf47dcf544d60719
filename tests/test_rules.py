"""Every rule: a minimal history that fires it and a near miss that stays silent."""
from datetime import timedelta

import pytest

from tests.epcis import (
    T0,
    at,
    commission_lot,
    decommission,
    lgtin,
    observe,
    pack,
    receive,
    sgtin,
    ship,
    sscc,
    transform,
    unpack,
)
from tests.test_rules_support import lenient_binding, load, master, pgln, subjects, sweep
from tracegraph.alerts import service as alerts
from tracegraph.rules import service as rules
from tracegraph.rules.catalog import rules as catalog
from tracegraph.rules.models import RuleEntry, RulesUpdate

D1, D2 = sgtin("D1"), sgtin("D2")
CASE1, CASE2 = sscc(1), sscc(2)


def made(*serials, lot="FG1", minutes=0):
    return transform(minutes, input_lots=[lgtin("RAW")], outputs=list(serials), lot_number=lot, site=1)


def commission_add(serial, minutes, lot=None):
    ev = observe([serial], minutes, site=1, biz_step="commissioning", action="ADD")
    if lot:
        ev["ilmd"] = {"cbvmda:lotNumber": lot}
    return ev


def test_catalog_has_exactly_the_issue_codes():
    assert set(catalog()) == {
        "DUPLICATE_SERIAL", "TWO_PLACES", "DECOMMISSIONED_REAPPEARS", "RECEIVED_NOT_SHIPPED",
        "SHIPPED_NOT_RECEIVED", "MULTI_PARENT", "SHIP_ON_HOLD", "EXPIRED_SHIPPED", "FAILED_INSPECTION_SHIPPED",
        "CHANNEL_MISMATCH", "LOT_MISMATCH", "VOLUME_SPIKE"}


# DUPLICATE_SERIAL

def test_duplicate_serial_fires_on_a_second_commissioning(db):
    load(db, [made(D1), commission_add(D1, 10)])
    assert subjects(db, "DUPLICATE_SERIAL") == {D1}


def test_duplicate_serial_silent_when_later_events_only_observe(db):
    load(db, [made(D1), observe([D1], 10, site=1)])
    assert subjects(db, "DUPLICATE_SERIAL") == set()


def test_duplicate_serial_names_both_commissioning_events(db):
    first, second = made(D1), commission_add(D1, 10)
    load(db, [first, second])
    assert sweep(db, "DUPLICATE_SERIAL")[0].events == [first["eventID"], second["eventID"]]


# TWO_PLACES

def test_two_places_fires_when_sites_are_30_minutes_apart(db):
    load(db, [made(D1), observe([D1], 30, site=2), observe([D1], 60, site=3)])
    assert subjects(db, "TWO_PLACES") == {D1}


def test_two_places_silent_when_travel_time_is_plausible(db):
    load(db, [made(D1), observe([D1], 90, site=2), observe([D1], 180, site=3)])
    assert subjects(db, "TWO_PLACES") == set()


def test_two_places_sees_items_through_their_container(db):
    load(db, [made(D1), pack(CASE1, [D1], 100, site=1), observe([CASE1], 120, site=2)])
    assert subjects(db, "TWO_PLACES") == {D1}


def test_two_places_compares_times_in_utc(db):
    """10:00+02:00 at site 2 is 08:00Z: 2 hours after 06:00Z at site 1, not plausible-travel close."""
    early = observe([D1], 6 * 60, site=1)
    late = observe([D1], 0, site=2)
    late["eventTime"], late["eventTimeZoneOffset"] = "2025-01-01T10:00:00.000+02:00", "+02:00"
    load(db, [early, late])
    assert subjects(db, "TWO_PLACES") == set()


# DECOMMISSIONED_REAPPEARS

def test_decommissioned_reappears_fires_on_a_later_sighting(db):
    load(db, [made(D1), decommission([D1], 10, site=1), observe([D1], 20, site=1)])
    assert subjects(db, "DECOMMISSIONED_REAPPEARS") == {D1}


def test_decommissioned_reappears_silent_for_sightings_before(db):
    load(db, [made(D1), observe([D1], 5, site=1), decommission([D1], 10, site=1)])
    assert subjects(db, "DECOMMISSIONED_REAPPEARS") == set()


# RECEIVED_NOT_SHIPPED

def test_received_not_shipped_fires_without_a_shipment(db):
    load(db, [made(D1), receive([D1], 100, site=2)])
    assert subjects(db, "RECEIVED_NOT_SHIPPED") == {D1}


def test_received_not_shipped_silent_when_its_case_was_shipped(db):
    load(db, [made(D1), pack(CASE1, [D1], 10, site=1), ship([CASE1], 20, site=1, destination=2),
              receive([D1], 100, site=2)])
    assert subjects(db, "RECEIVED_NOT_SHIPPED") == set()


# SHIPPED_NOT_RECEIVED

def test_shipped_not_received_fires_after_the_window(db):
    load(db, [made(D1), ship([D1], 10, site=1, destination=2)])
    assert subjects(db, "SHIPPED_NOT_RECEIVED") == {D1}


def test_shipped_not_received_silent_when_received_in_time(db):
    load(db, [made(D1), ship([D1], 10, site=1, destination=2), receive([D1], 600, site=2)])
    assert subjects(db, "SHIPPED_NOT_RECEIVED") == set()


def test_shipped_not_received_waits_for_the_window_to_pass(db):
    load(db, [made(D1), ship([D1], 10, site=1, destination=2)])
    assert subjects(db, "SHIPPED_NOT_RECEIVED", now=T0 + timedelta(hours=24)) == set()


# MULTI_PARENT

def test_multi_parent_fires_when_packed_twice_without_unpacking(db):
    load(db, [made(D1), pack(CASE1, [D1], 10, site=1), pack(CASE2, [D1], 20, site=1)])
    assert subjects(db, "MULTI_PARENT") == {D1}


def test_multi_parent_silent_after_unpacking(db):
    load(db, [made(D1), pack(CASE1, [D1], 10, site=1), unpack(CASE1, [D1], 15, site=1),
              pack(CASE2, [D1], 20, site=1)])
    assert subjects(db, "MULTI_PARENT") == set()


# SHIP_ON_HOLD (holds are placed through the holds service; see tests/test_holds.py for blocking)

def _flag_hold(db, target=D1):
    from tracegraph.holds import service as holds
    from tracegraph.holds.models import HoldRequest
    return holds.create(db, HoldRequest(kind="serial", target=target, reason="suspect", policy="flag"),
                        principal="tester")


def test_ship_on_hold_fires_for_a_flag_hold(db):
    load(db, [made(D1)], "one")
    _flag_hold(db)
    load(db, [ship([D1], 10, site=1, destination=2)], "two")
    assert subjects(db, "SHIP_ON_HOLD") == {D1}


def test_ship_on_hold_silent_after_release(db):
    from tracegraph.holds import service as holds
    load(db, [made(D1)], "one")
    holds.release(db, _flag_hold(db).id, principal="tester", reason="cleared by QA")
    load(db, [ship([D1], 10, site=1, destination=2)], "two")
    assert subjects(db, "SHIP_ON_HOLD") == set()


# EXPIRED_SHIPPED

def _with_expiry(ev, expiry):
    ev["ilmd"]["cbvmda:itemExpirationDate"] = expiry
    return ev


def test_expired_shipped_fires_after_the_expiry_date(db):
    load(db, [_with_expiry(made(D1), "2024-12-31"), ship([D1], 10, site=1, destination=2)])
    assert subjects(db, "EXPIRED_SHIPPED") == {D1}


def test_expired_shipped_silent_on_the_expiry_date(db):
    load(db, [_with_expiry(made(D1), "2025-01-01"), ship([D1], 10, site=1, destination=2)])
    assert subjects(db, "EXPIRED_SHIPPED") == set()


def test_expired_shipped_fires_for_a_lot_shipped_by_quantity(db):
    lot = lgtin("L9")
    made_lot = commission_lot(lot, 0)
    made_lot["ilmd"] = {"cbvmda:lotNumber": "L9", "cbvmda:itemExpirationDate": "2024-06-30"}
    shipment = ship([], 10, site=1, destination=2)
    shipment.pop("epcList")
    shipment["quantityList"] = [{"epcClass": lot, "quantity": 5}]
    load(db, [made_lot, shipment])
    assert subjects(db, "EXPIRED_SHIPPED") == {lot}


# FAILED_INSPECTION_SHIPPED

def test_failed_inspection_shipped_fires(db):
    load(db, [made(D1), observe([D1], 5, site=1, disposition="non_conformant"),
              ship([D1], 10, site=1, destination=2)])
    assert subjects(db, "FAILED_INSPECTION_SHIPPED") == {D1}


def test_failed_inspection_shipped_silent_after_reinspection_passed(db):
    load(db, [made(D1), observe([D1], 5, site=1, disposition="non_conformant"),
              observe([D1], 7, site=1, disposition="conformant"), ship([D1], 10, site=1, destination=2)])
    assert subjects(db, "FAILED_INSPECTION_SHIPPED") == set()


# CHANNEL_MISMATCH

AUTH = [{"from": 1, "to": 2, "products": ["*"], "channel": "wholesale"}]
SITES = {1: (1, "own"), 2: (2, "wholesale"), 3: (3, "wholesale")}


def test_channel_mismatch_fires_for_an_unauthorized_consignee(db):
    master(db, SITES, AUTH)
    load(db, [made(D1), ship([D1], 10, site=1, destination=3)])
    assert subjects(db, "CHANNEL_MISMATCH") == {D1}


def test_channel_mismatch_silent_for_an_authorized_consignee(db):
    master(db, SITES, AUTH)
    load(db, [made(D1), ship([D1], 10, site=1, destination=2)])
    assert subjects(db, "CHANNEL_MISMATCH") == set()


def test_channel_mismatch_fires_when_the_channel_differs(db):
    master(db, {1: (1, "own"), 2: (2, "gpo")}, AUTH)
    load(db, [made(D1), ship([D1], 10, site=1, destination=2)])
    assert subjects(db, "CHANNEL_MISMATCH") == {D1}


def test_channel_mismatch_fires_for_a_product_outside_the_authorization(db):
    master(db, SITES, [{"from": 1, "to": 2, "products": ["00614141999996"]}])
    load(db, [made(D1), ship([D1], 10, site=1, destination=2)])
    assert subjects(db, "CHANNEL_MISMATCH") == {D1}


def test_channel_mismatch_silent_for_shippers_without_master_data(db):
    master(db, SITES)
    load(db, [made(D1), ship([D1], 10, site=1, destination=3)])
    assert subjects(db, "CHANNEL_MISMATCH") == set()


# LOT_MISMATCH

def test_lot_mismatch_fires_when_two_lots_claim_a_serial(db, tmp_path):
    """Data quality rejects such a binding by default; with the check on `flag` it gets in."""
    from importlib import resources

    from tracegraph.quality import service as quality
    policy = resources.files("tracegraph.quality").joinpath("default_policy.yaml").read_text()
    path = tmp_path / "policy.yaml"
    path.write_text(policy.replace("serial_lot_binding: reject", "serial_lot_binding: flag"))
    with quality.using(path):
        load(db, [made(D1, lot="L1"), commission_add(D1, 10, lot="L2")])
    assert subjects(db, "LOT_MISMATCH") == {D1}


def test_lot_mismatch_silent_when_the_lot_is_repeated(db):
    load(db, [made(D1, lot="L1"), commission_add(D1, 10, lot="L1")])
    assert subjects(db, "LOT_MISMATCH") == set()


# VOLUME_SPIKE (small thresholds: one-day periods, two-day baseline)

def _spike_config(db):
    rules.update(db, RulesUpdate(rules={"VOLUME_SPIKE": RuleEntry(params={
        "period_days": 1, "baseline_periods": 2, "factor": 2.0, "min_quantity": 3, "min_baseline": 1})}),
                 principal="tester")
    master(db, {1: (1, "own"), 2: (2, "wholesale")})


def _shipments(per_day: list[int]) -> list[dict]:
    events, n = [], 0
    for day, count in enumerate(per_day):
        if not count:
            continue
        serials = [sgtin(f"V{n + k}") for k in range(count)]
        n += count
        events += [made(*serials, minutes=day * 1440), ship(serials, day * 1440 + 60, site=1, destination=2)]
    return events


def test_volume_spike_fires_far_above_baseline(db):
    _spike_config(db)
    load(db, _shipments([1, 1, 5]))
    assert subjects(db, "VOLUME_SPIKE") == {pgln(2)}


def test_volume_spike_silent_within_factor(db):
    _spike_config(db)
    load(db, _shipments([1, 1, 2]))
    assert subjects(db, "VOLUME_SPIKE") == set()


def test_volume_spike_silent_without_a_baseline(db):
    _spike_config(db)
    load(db, _shipments([0, 1, 5]))
    assert subjects(db, "VOLUME_SPIKE") == set()


def test_every_rule_has_a_firing_test():
    names = {n for n in globals() if n.startswith("test_")}
    for code in catalog():
        assert any(n.startswith(f"test_{code.lower()}_") and "silent" not in n for n in names), code
        assert any(n.startswith(f"test_{code.lower()}_silent") for n in names), code


@pytest.mark.parametrize("code", sorted(catalog()))
def test_header_declares_a_title_and_known_triggers(code):
    rule = catalog()[code]
    assert rule.title and rule.triggers <= {"ObjectEvent", "AggregationEvent", "TransformationEvent",
                                            "TransactionEvent", "AssociationEvent"}


# Error declarations: a declared event counts as if it never happened. Each rule's minimal
# firing history, then a document re-sending one offending event with an errorDeclaration.

FIRING = {}  # rule code -> (loads the firing history and returns its offending events, subject, how many)


def firing(code, subject=D1, pair=False):
    """Register a firing history; a pair of offending events must clear by declaring either one."""
    def register(history):
        FIRING[code] = (history, subject, 2 if pair else 1)
        return history
    return register


def declare(db, event):
    return load(db, [dict(event, errorDeclaration={"declarationTime": at(5000), "reason": "incorrect_data"})],
                "declaration")


def open_subjects(db, code):
    return {a.subject for a in alerts.list_alerts(db, state="open", rule=code).alerts}


def _loaded(db, history, offending):
    load(db, history)
    return offending


@firing("DUPLICATE_SERIAL", pair=True)
def _duplicate_serial(db):
    pair = [made(D1), commission_add(D1, 10)]
    return _loaded(db, pair, pair)


@firing("TWO_PLACES", pair=True)
def _two_places(db):
    pair = [made(D1), observe([D1], 30, site=2)]
    return _loaded(db, pair, pair)


@firing("DECOMMISSIONED_REAPPEARS", pair=True)
def _decommissioned_reappears(db):
    pair = [decommission([D1], 10, site=1), observe([D1], 20, site=1)]
    return _loaded(db, [made(D1)] + pair, pair)


@firing("RECEIVED_NOT_SHIPPED")
def _received_not_shipped(db):
    receipt = receive([D1], 100, site=2)
    return _loaded(db, [made(D1), receipt], [receipt])


@firing("SHIPPED_NOT_RECEIVED")
def _shipped_not_received(db):
    shipment = ship([D1], 10, site=1, destination=2)
    return _loaded(db, [made(D1), shipment], [shipment])


@firing("MULTI_PARENT", pair=True)
def _multi_parent(db):
    pair = [pack(CASE1, [D1], 10, site=1), pack(CASE2, [D1], 20, site=1)]
    return _loaded(db, [made(D1)] + pair, pair)


@firing("SHIP_ON_HOLD")
def _ship_on_hold(db):
    load(db, [made(D1)], "one")
    _flag_hold(db)
    shipment = ship([D1], 10, site=1, destination=2)
    load(db, [shipment], "two")
    return [shipment]


@firing("EXPIRED_SHIPPED", pair=True)
def _expired_shipped(db):
    """The commissioning that bound D1 to the expired lot is evidence too."""
    pair = [_with_expiry(made(D1), "2024-12-31"), ship([D1], 10, site=1, destination=2)]
    return _loaded(db, pair, pair)


@firing("FAILED_INSPECTION_SHIPPED", pair=True)
def _failed_inspection_shipped(db):
    pair = [observe([D1], 5, site=1, disposition="non_conformant"), ship([D1], 10, site=1, destination=2)]
    return _loaded(db, [made(D1)] + pair, pair)


@firing("CHANNEL_MISMATCH")
def _channel_mismatch(db):
    master(db, SITES, AUTH)
    shipment = ship([D1], 10, site=1, destination=3)
    return _loaded(db, [made(D1), shipment], [shipment])


@firing("LOT_MISMATCH", pair=True)
def _lot_mismatch(db):
    pair = [made(D1, lot="L1"), commission_add(D1, 10, lot="L2")]
    with lenient_binding():
        return _loaded(db, pair, pair)


@firing("VOLUME_SPIKE", subject=pgln(2))
def _volume_spike(db):
    _spike_config(db)
    history = _shipments([1, 1, 5])
    return _loaded(db, history, history[-1:])


DECLARED = [pytest.param(code, k, id=f"{code}-{k}") for code, (_, _, n) in sorted(FIRING.items()) for k in range(n)]


def test_every_rule_has_a_declaration_case():
    assert set(FIRING) == set(catalog())


@pytest.mark.parametrize("code, which", DECLARED)
def test_declaring_an_offending_event_leaves_no_finding(db, code, which):
    history, _, _ = FIRING[code]
    declare(db, history(db)[which])
    assert subjects(db, code) == set()


@pytest.mark.parametrize("code, which", DECLARED)
def test_declaring_an_offending_event_resolves_the_open_alert(db, code, which):
    history, subject, _ = FIRING[code]
    offending = history(db)[which]
    before = open_subjects(db, code)
    declare(db, offending)
    assert (before, open_subjects(db, code)) == ({subject}, set())


def test_lot_mismatch_fires_while_an_undeclared_event_still_makes_the_binding(db):
    mistaken, repeated = commission_add(D1, 10, lot="L2"), commission_add(D1, 20, lot="L2")
    with lenient_binding():
        load(db, [made(D1, lot="L1"), mistaken, repeated])
    declare(db, mistaken)
    assert subjects(db, "LOT_MISMATCH") == {D1}


def test_multi_parent_fires_once_the_unpacking_is_declared_erroneous(db):
    """Declaring the unpacking reopens the first packing (ingest/declare_errors), on ingest too."""
    unpacking = unpack(CASE1, [D1], 15, site=1)
    load(db, [made(D1), pack(CASE1, [D1], 10, site=1), unpacking, pack(CASE2, [D1], 20, site=1)])
    declare(db, unpacking)
    assert (subjects(db, "MULTI_PARENT"), open_subjects(db, "MULTI_PARENT")) == ({D1}, {D1})


def test_received_not_shipped_fires_once_the_shipment_is_declared_erroneous(db):
    shipment = ship([D1], 50, site=1, destination=2)
    load(db, [made(D1), shipment, receive([D1], 100, site=2)])
    declare(db, shipment)
    assert (subjects(db, "RECEIVED_NOT_SHIPPED"), open_subjects(db, "RECEIVED_NOT_SHIPPED")) == ({D1}, {D1})
