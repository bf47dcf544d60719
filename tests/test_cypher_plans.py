"""Key lookups keep their index whatever the planner's statistics say.

Planned while a load was under way, CHANNEL_MISMATCH once looked up each `{epc: epc}`
row of its UNWIND by scanning the whole epc index (94M db hits for 6k items), and
the plan stayed cached. The hot lookups therefore say `USING INDEX`. A hint the planner
cannot satisfy fails the query, so every hinted query is planned here and must seek.
"""
from importlib import resources

import pytest

from graph import schema
from graph.queries import query
from tracegraph.audit import service as audit


def _hinted() -> list[str]:
    root = resources.files("cypher")
    names = []
    for folder in (p for p in root.iterdir() if p.is_dir()):
        # fragments are planned inside the queries that include them (graph/queries.py)
        names += [f"{folder.name}/{f.name[:-7]}" for f in folder.iterdir()
                  if f.name.endswith(".cypher") and not f.read_text().startswith("// Fragment")
                  and "USING INDEX" in query(f"{folder.name}/{f.name[:-7]}")]
    return sorted(names)


def _operators(plan: dict) -> list[str]:
    return [plan["operatorType"].split("@")[0]] + [op for child in plan.get("children", []) for op in _operators(child)]


def _scans(plan: dict) -> list[str]:
    """Each NodeIndexScan's details (which index, for what), so that a failure names it."""
    own = [str(plan.get("args", {}).get("Details"))] if plan["operatorType"].startswith("NodeIndexScan") else []
    return own + [d for child in plan.get("children", []) for d in _scans(child)]


def test_the_hot_lookups_are_hinted():
    assert {"verify/serials", "quality/items", "ingest/events", "alerts/scope", "rules/_item_history"} <= set(_hinted())


def _paging(name: str) -> bool:
    """Reads every value in index order after a cursor: a range seek from '' and an ordered
    scan of the index cost the same, and the planner picks either by its statistics."""
    return "> coalesce($after, '')" in query(name)


@pytest.fixture(scope="module")
def empty(database):
    """One empty database for the module: EXPLAIN plans without running, so no test writes."""
    schema.reset(database)
    audit.retire_checkpoints(keep=False)  # as the `db` fixture: a deliberate reset
    return database


def _explain(db, name: str) -> dict:
    with db.driver.session(database=db.name) as session:
        return session.run("EXPLAIN " + query(name)).consume().plan


def _plan(db, name: str) -> list[str]:
    return _operators(_explain(db, name))


@pytest.mark.parametrize("name", [n for n in _hinted() if not _paging(n)])
def test_hinted_lookups_plan_as_index_seeks(empty, name):
    plan = _explain(empty, name)
    assert (_scans(plan), any("IndexSeek" in op for op in _operators(plan))) == ([], True)


@pytest.mark.parametrize("name", [n for n in _hinted() if _paging(n)])
def test_paging_reads_walk_the_index_not_the_label(empty, name):
    operators = _plan(empty, name)
    on_index = any(op.startswith("Node") and "Index" in op for op in operators)
    assert ("NodeByLabelScan" in operators, on_index) == (False, True)


def test_paging_queries_are_recognised():
    assert "epcis/resource_epcs" in [n for n in _hinted() if _paging(n)]
