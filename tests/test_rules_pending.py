"""Incremental rules owed by a committed document, answered after its commit."""
import json
from datetime import UTC, datetime

from graph.db import Database
from loaders.epcis.document import parse_document, read_file
from loaders.generator import generate
from tests.epcis import at, document, observe, pack, receive, sgtin, sscc
from tracegraph.alerts import service as alerts
from tracegraph.capture.files import expand, known_prefixes, load_files
from tracegraph.capture.writer import LoadResult, answer_rules, write_document
from tracegraph.rules import catalog, engine
from tracegraph.rules import config as rules_config
from tracegraph.rules import service as rules
from tracegraph.rules.models import RulesUpdate

D1, D2 = sgtin("D1"), sgtin("D2")


def orphan_receipt(serial: str, minutes: int = 0) -> list[dict]:
    """Commissioned, then received with no shipping: RECEIVED_NOT_SHIPPED."""
    return [observe([serial], minutes, site=1, biz_step="commissioning", action="ADD"),
            receive([serial], minutes + 60, site=2)]


def open_subjects(db) -> set[tuple[str, str]]:
    return {(a.rule, a.subject) for a in alerts.list_alerts(db, state="open", limit=100).alerts}


def queue_nodes(db) -> int:
    with db.driver.session(database=db.name) as session:
        return session.run("MATCH (n) WHERE n:RulesPending OR n:RulesQueue RETURN count(n) AS n").single()["n"]


def test_a_document_answers_its_rules_before_the_write_returns(db):
    result = write_document(db, parse_document(document(orphan_receipt(D1)), "one"))
    assert (open_subjects(db), rules.pending(db), result.notes["alerts"]["opened"]) == \
        ({("RECEIVED_NOT_SHIPPED", D1)}, 0, 1)


def test_rules_owed_at_a_crash_are_kept_and_answered_later(db):
    # rules_now=False stands for a process that stopped right after the commit
    write_document(db, parse_document(document(orphan_receipt(D1)), "one"), rules_now=False)
    before = (open_subjects(db), rules.pending(db))
    rules.run_pending(db)
    assert (before, open_subjects(db), rules.pending(db)) == \
        ((set(), 1), {("RECEIVED_NOT_SHIPPED", D1)}, 0)


def test_the_next_document_answers_rules_left_owed(db):
    write_document(db, parse_document(document(orphan_receipt(D1)), "one"), rules_now=False)
    write_document(db, parse_document(document(orphan_receipt(D2)), "two"))
    assert (open_subjects(db), rules.pending(db)) == \
        ({("RECEIVED_NOT_SHIPPED", D1), ("RECEIVED_NOT_SHIPPED", D2)}, 0)


def test_nothing_is_owed_while_incremental_rules_are_off(db):
    rules.update(db, RulesUpdate(on_ingest=False), principal="tester")
    write_document(db, parse_document(document(orphan_receipt(D1)), "one"))
    assert (open_subjects(db), queue_nodes(db)) == (set(), 0)


def test_a_bulk_load_answers_every_document_before_it_returns(db, tmp_path):
    files = []
    for n, serial in enumerate((D1, D2)):
        files.append(tmp_path / f"doc{n}.json")
        files[-1].write_text(json.dumps(document(orphan_receipt(serial, minutes=n * 600))))
    results = load_files(db, files)
    assert (open_subjects(db), rules.pending(db), [r.notes.get("alerts", {}).get("opened") for r in results]) == \
        ({("RECEIVED_NOT_SHIPPED", D1), ("RECEIVED_NOT_SHIPPED", D2)}, 0, [1, 1])


def test_rules_owed_when_the_database_failed_stay_owed(db, neo4j_settings):
    write_document(db, parse_document(document(orphan_receipt(D1)), "one"), rules_now=False)
    gone = Database(neo4j_settings)
    gone.close()  # every call on it now fails at once
    result = LoadResult("one", 2, 0, True, {"rules_pending": True}, digest="x")
    answer_rules(gone, [result])  # logged, not raised: the document is committed already
    assert (result.notes.get("rules_pending"), rules.pending(db)) == (True, 1)


def test_cli_rules_pending_run_answers_them(db, cli):
    write_document(db, parse_document(document(orphan_receipt(D1)), "one"), rules_now=False)
    result = cli("rules", "pending", "--run")
    assert (result.exit_code, result.stdout.strip(), rules.pending(db)) == \
        (0, "answered 1 owed evaluation(s); alerts opened: 1", 0)


def owed_records(db) -> list[dict]:
    with db.driver.session(database=db.name) as session:
        return [r.data() for r in session.run("MATCH (p:RulesPending) RETURN p.events AS events, p.scope AS scope")]


def test_the_scope_stored_with_owed_rules_is_what_the_rules_pass_would_find(db, tmp_path):
    # generated documents pack earlier serials, bind lots and transform: the scope the writer
    # stores (what it locked, and the lots) against alerts/scope, which walks it again
    generate(tmp_path, serials=60, seed=5, events_per_file=40)
    files = expand([tmp_path])
    load_files(db, files[:-1])
    write_document(db, read_file(files[-1], known_prefixes(db), settings=db.settings), rules_now=False)
    [owed] = owed_records(db)
    walked = db.read("alerts/scope", events=owed["events"])[0]["epcs"]
    lots = [epc for epc in owed["scope"] if epc.startswith("urn:epc:class:lgtin:")]
    assert (len(files) > 2, bool(lots), sorted(owed["scope"])) == (True, True, sorted(walked))


def test_the_scope_stored_for_a_declaration_is_what_the_rules_pass_would_find(db):
    packed = pack(sscc(1), [D1, D2], 30)
    write_document(db, parse_document(document(orphan_receipt(D1) + orphan_receipt(D2) + [packed]), "one"))
    declared = dict(packed, errorDeclaration={"declarationTime": at(5000), "reason": "incorrect_data"})
    write_document(db, parse_document(document([declared, observe([sscc(1)], 90, site=3)]), "two"),
                   rules_now=False)
    [owed] = owed_records(db)
    walked = db.read("alerts/scope", events=owed["events"])[0]["epcs"]
    assert (sorted(owed["scope"]), packed["eventID"] in owed["events"]) == (sorted(walked), True)


def test_each_shared_pass_has_a_lane_apart_from_the_other_rules():
    chosen = list(catalog.rules().values())
    found = engine.lanes(chosen)
    assert ([{r.shared for r in lane} for lane in found],
            sorted(r.code for lane in found for r in lane) == sorted(r.code for r in chosen)) == \
        ([{True}] * (len(found) - 1) + [{False}], True)


def test_rules_judged_in_lanes_find_what_they_find_in_one_go(db):
    # RECEIVED_NOT_SHIPPED and TWO_PLACES (the shared item-history pass), MULTI_PARENT (the other lane)
    scope = [D1, D2, sscc(1), sscc(2)]
    write_document(db, parse_document(document(
        orphan_receipt(D1) + [observe([D2], 0, site=1, biz_step="commissioning", action="ADD"),
                              pack(sscc(1), [D2], 10), pack(sscc(2), [D2], 20)]), "one"), rules_now=False)
    config = db.read_tx(lambda tx: rules_config.effective(tx, db.settings))
    chosen, now = engine.selected(config), datetime.now(UTC)
    one_go = engine.evaluate(db.read, config, chosen, scope, now)
    lanes = engine.evaluate_lanes(db.read_primary, config, chosen, scope, now)
    assert (list(lanes.rows), lanes.rows, lanes.scopes, {code for code, rows in lanes.rows.items() if rows}) == \
        ([r.code for r in chosen], one_go.rows, one_go.scopes, {"RECEIVED_NOT_SHIPPED", "TWO_PLACES", "MULTI_PARENT"})
