"""The suite's own guard (tests/conftest.py): two tests with one id are refused, since xdist
would run one of them and silently drop the rest."""
from types import SimpleNamespace

from tests.conftest import shared_ids


def _items(*ids: str) -> list:
    return [SimpleNamespace(nodeid=i) for i in ids]


def test_tests_sharing_an_id_are_named():
    assert shared_ids(_items("t.py::a[x]", "t.py::a", "t.py::a", "t.py::b")) == ["t.py::a"]


def test_distinct_ids_pass():
    assert shared_ids(_items("t.py::a[x]", "t.py::a[y]", "t.py::a")) == []

