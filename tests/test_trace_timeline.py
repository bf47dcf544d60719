"""Serial timeline filters (time window, business step) and CSV export."""
import csv
import io

import pytest

from tests import epcis as b
from tests import scenario as s


@pytest.fixture
def api(scenario_api):
    return scenario_api


def steps(response) -> list[str]:
    return [e["biz_step"] for e in response.json()["events"]]


def test_unfiltered_timeline(api):
    assert steps(api.get(f"/v1/serials/{s.D1}/timeline")) == \
        ["commissioning", "packing", "packing", "shipping", "receiving", "unpacking", "shipping", "receiving",
         "unpacking"]


def test_time_window(api):
    r = api.get(f"/v1/serials/{s.D1}/timeline", params={"from": b.at(22), "to": b.at(31)})
    assert steps(r) == ["shipping", "receiving", "unpacking"]


def test_business_step_filter(api):
    assert steps(api.get(f"/v1/serials/{s.D1}/timeline", params=[("biz_step", "shipping")])) == ["shipping"] * 2


def test_csv_export(api):
    r = api.get(f"/v1/serials/{s.D1}/timeline", params={"format": "csv", "biz_step": "receiving"})
    assert [row["site"] for row in csv.DictReader(io.StringIO(r.text))] == [s.SITE[3], s.SITE[4]]


def test_window_the_wrong_way_round_is_a_422_problem(api):
    r = api.get(f"/v1/serials/{s.D1}/timeline", params={"from": b.at(31), "to": b.at(22)})
    assert (r.status_code, r.json()["type"], r.json()["field"]) == \
        (422, "https://tracegraph.dev/problems/invalid-filter", "from")


def test_naive_time_is_a_422_problem(api):
    r = api.get(f"/v1/serials/{s.D1}/timeline", params={"from": "2025-01-01T00:00:00"})
    assert (r.status_code, r.json()["field"]) == (422, "from")
