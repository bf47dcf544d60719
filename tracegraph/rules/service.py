"""Run the rules: a full sweep on request, or incrementally inside an ingest transaction."""
from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ThreadPoolExecutor
from datetime import UTC, datetime

from neo4j import ManagedTransaction

from core import metrics
from core.errors import TracegraphError
from core.settings import Settings
from graph.db import Database, run
from tracegraph.alerts import service as alerts
from tracegraph.audit import service as audit
from tracegraph.rules import config as rules_config
from tracegraph.rules import history
from tracegraph.rules.catalog import Rule, rules
from tracegraph.rules.engine import Evaluation, Runner, evaluate, evaluate_lanes, selected
from tracegraph.rules.models import RuleInfo, RulesConfig, RulesUpdate, RulesView, RunResult

Known = Callable[[RulesConfig, list[Rule], datetime], dict[str, list[dict]]]  # sweep's `known`
CHANNEL = "CHANNEL_MISMATCH"


def view(db: Database) -> RulesView:
    config = db.read_tx(lambda tx: rules_config.effective(tx, db.settings))
    infos = [RuleInfo(code=r.code, title=r.title, severity=r.severity, subject=r.subject,
                      triggers=sorted(r.triggers), enabled=rules_config.enabled(config, r.code),
                      params=rules_config.params(config, r.code), defaults=r.params, description=r.description)
             for r in rules().values()]
    return RulesView(on_ingest=config.on_ingest, rules=infos, grading=config.grading, routing=config.routing,
                     webhooks=config.webhooks)


def update(db: Database, change: RulesUpdate, *, principal: str, request_id: str | None = None) -> RulesView:
    """Merge `change` into the stored overlay (validated whole before it is stored); audited."""
    given = change.model_dump(mode="json", exclude_none=True)

    def work(tx: ManagedTransaction) -> None:
        before = rules_config.overlay(tx)
        after = rules_config._merge({"rules": {}, **before}, given)
        rules_config.validate(rules_config._merge(rules_config.defaults(db.settings), after))
        run(tx, "alerts/config_put", body=json.dumps(after, sort_keys=True), actor=principal)
        audit.record(tx, actor=principal, action="rules.configure", subject="rules", before=before, after=after,
                     request_id=request_id)

    db.write_tx(work)
    return view(db)


def check_codes(codes: list[str] | None) -> list[str] | None:
    return _codes(codes)


def _codes(codes: list[str] | None) -> list[str] | None:
    if codes:
        unknown = [c for c in codes if c not in rules()]
        if unknown:
            raise TracegraphError(f"unknown rule code {unknown[0]!r}; known: {', '.join(rules())}", field="rules")
    return codes or None


def sweep(db: Database, codes: list[str] | None = None, *, dry_run: bool = False, actor: str = "system",
          request_id: str | None = None, now: datetime | None = None,
          progress: Callable[[int, int, str], None] | None = None, workers: int = 1,
          known: Known | None = None) -> RunResult:
    """Every enabled rule (or `codes`) over all data, each rule in its own read transaction
    (`workers` of them at once); then alerts are recorded in one write transaction (unless
    `dry_run`). `progress(done, total, code)` hears of each rule as it starts.
    `known(config, chosen, now)`: the rows of the rules the caller can answer without a query
    (`from_histories`); the others are queried."""
    alerts.ensure_schema(db)
    codes = _codes(codes)
    now = now or datetime.now(UTC)
    config = db.read_tx(lambda tx: rules_config.effective(tx, db.settings))
    chosen = selected(config, codes)
    evaluation = Evaluation()
    if known is not None:
        started = time.perf_counter()
        given = known(config, chosen, now)
        for code, rows in given.items():
            evaluation.rows[code], evaluation.scopes[code] = rows, None
            evaluation.seconds[code] = (time.perf_counter() - started) / len(given)
    groups: list[list] = []
    for rule in (r for r in chosen if r.code not in evaluation.rows):
        if not any(rule in group for group in groups):  # judged with the rules it shares a pass with
            groups.append([r for r in chosen if r.query == rule.query and r.code not in evaluation.rows]
                          if rule.shared else [rule])

    pages = _Pages(db)

    def judge(group: list) -> Evaluation:
        for rule in group if progress else []:
            progress(chosen.index(rule), len(chosen), rule.code)
        return _sweep_rules(db, config, group, now, pages)

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for part in pool.map(judge, groups):  # in rule order, whatever order they finish in
            evaluation.rows.update(part.rows)
            evaluation.scopes.update(part.scopes)
            evaluation.seconds.update(part.seconds)
    timing = {code: {"findings": float(len(evaluation.rows[code])), "seconds": round(evaluation.seconds[code], 3)}
              for code in evaluation.rows}
    for code, seconds in evaluation.seconds.items():
        metrics.rule_seconds.labels(code).observe(seconds)
    if dry_run:
        graded = db.read_tx(lambda tx: alerts.findings(tx, evaluation, config))
        return RunResult(findings=graded, rules=timing)
    graded, counts = db.write_tx(lambda tx: alerts.record(tx, evaluation, config, actor=actor, action="rules.sweep",
                                                          subject="all", request_id=request_id))
    return RunResult(findings=graded, rules=timing, opened=counts["opened"], updated=counts["updated"],
                     cleared=counts["cleared"])


def from_histories(db: Database, histories: Callable[[], Iterable[tuple[str, list[history.Sighting]]]],
                   early: tuple[Executor, datetime] | None = None) -> Known:
    """A `known` for sweep: the item-history rules judged from every item's history (all of them:
    `histories()` yields each item once), and CHANNEL_MISMATCH when no AUTHORIZED edge can make it
    find anything (unmanaged shippers skipped); it is queried otherwise.
    `early` (pool, now): judge them at once in the pool, for a sweep of every rule at `now` that
    comes later (a bulk load judges them in Python while Neo4j builds its schema); a sweep that
    chose other rules or parameters judges them again."""

    def judged(key: tuple) -> dict[str, list[dict]]:
        codes, ps, now = key
        return history.judge(histories(), codes, ps, now)

    def keyed(config: RulesConfig, chosen: list[Rule], now: datetime) -> tuple[tuple, dict[str, list[dict]]]:
        key = _history_key(config, chosen, now)
        return key, judged(key)

    ahead = None
    if early is not None:
        pool, now = early
        config = db.read_tx(lambda tx: rules_config.effective(tx, db.settings))
        ahead = pool.submit(keyed, config, selected(config), now)

    def known(config: RulesConfig, chosen: list[Rule], now: datetime) -> dict[str, list[dict]]:
        judged_key, found = ahead.result() if ahead is not None else (None, None)
        key = _history_key(config, chosen, now)
        if judged_key != key:
            found = judged(key)
        found = dict(found)
        if any(r.code == CHANNEL for r in chosen) and rules_config.params(config, CHANNEL)["skip_unmanaged_shippers"] \
                and not db.read("alerts/any_authorized")[0]["authorized"]:
            found[CHANNEL] = []
        return found
    return known


def _history_key(config: RulesConfig, chosen: list[Rule], now: datetime) -> tuple:
    """What judging the chosen item-history rules depends on: their codes, parameters and `now`."""
    codes = [r.code for r in chosen if r.code in history.CODES]
    return codes, {c: rules_config.params(config, c) for c in codes}, now


class _Pages:
    """The item pages of one sweep (`rules_sweep_page` items each, in epc order), read once
    and shared by its item rules, which may run in threads."""

    def __init__(self, db: Database):
        self.db = db
        self.pages: list[list[str]] = []
        self.complete = False
        self.lock = threading.Lock()

    def __iter__(self) -> Iterator[list[str]]:
        n = 0
        while True:
            with self.lock:
                if n == len(self.pages) and not self.complete:
                    after = self.pages[-1][-1] if self.pages else ""
                    page = [r["epc"] for r in self.db.read("alerts/item_page", after=after,
                                                            limit=self.db.settings.rules_sweep_page)]
                    if page:
                        self.pages.append(page)
                    self.complete = not page
                if n == len(self.pages):
                    return
                page = self.pages[n]
            yield page
            n += 1


def _sweep_rules(db: Database, config, group: list, now: datetime, pages: _Pages) -> Evaluation:
    """One rule (or the rules of one shared pass) over everything. Item-only rules go page by
    page (`rules_sweep_page` items per read transaction): in one statement a million items'
    histories exceed Neo4j's transaction memory. The pages together judge every item, so
    the scope stays 'all'."""
    rule = group[0]
    if rule.subject != "item" or rule.expands or not rule.paged:  # lot subjects (expands) are judged in one go
        return evaluate(db.read, config, group, None, now)
    found: dict[str, dict[str, dict]] = {r.code: {} for r in group}
    seconds = dict.fromkeys(found, 0.0)
    for page in pages:
        part = evaluate(db.read, config, group, page, now)
        for code, rows in found.items():
            rows.update((row["subject"], row) for row in part.rows[code])
            seconds[code] += part.seconds[code]
    return Evaluation(rows={code: [rows[k] for k in sorted(rows)] for code, rows in found.items()},
                      scopes=dict.fromkeys(found), seconds=seconds)


def defer(tx: ManagedTransaction, settings: Settings, event_ids: list[str], event_types: set[str], *, actor: str,
          subject: str, request_id: str | None = None, held: bool = False,
          objects: list[str] | None = None) -> bool:
    """Owe the incremental rules for a document being written (in its transaction).
    `run_pending` answers them after the commit: in the writer's thread for a single
    document, overlapped with the next document in a bulk load (tracegraph.capture.files).
    `objects`: the objects the events named and everything packed inside them, when the
    caller has them (the writer locked them): with the lots the events bear on, that is the
    rules' scope (alerts/scope), stored with what is owed instead of walked again."""
    if not event_ids or not (held or rules_config.effective(tx, settings).on_ingest):
        return False
    scope = None
    if objects is not None:
        lots = [lot for ids in _chunks(event_ids) for lot in run(tx, "alerts/scope_lots", events=ids)[0]["lots"]]
        scope = sorted(set(objects) | set(lots))
    run(tx, "alerts/rules_pending_add", id=str(uuid.uuid4()), events=event_ids, types=sorted(event_types),
        held=held, actor=actor, subject=subject, request_id=request_id, scope=scope)
    return True


def _chunks(ids: list[str], size: int = 5000) -> Iterator[list[str]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def run_pending(db: Database) -> dict[str, dict]:
    """Answer every owed incremental evaluation, oldest first, each in one write transaction
    with the alerts it records; alert counts by document (the `subject` given to defer)."""
    done: dict[str, dict] = {}
    if not pending(db):  # the usual case after a write with rules off: no write transaction
        return done
    alerts.ensure_schema(db)
    while (answered := db.write_tx(lambda tx: _answer_one(tx, db))) is not None:
        subject, counts = answered
        add_counts(done, {subject: counts})
    return done


def add_counts(into: dict[str, dict], more: dict[str, dict]) -> dict[str, dict]:
    """Sum alert counts by document (as run_pending returns them) into `into`."""
    for subject, counts in more.items():
        mine = into.setdefault(subject, {})
        for key, n in counts.items():
            mine[key] = mine.get(key, 0) + n
    return into


def pending(db: Database) -> int:
    return db.read("alerts/rules_pending_count")[0]["pending"]


def _answer_one(tx: ManagedTransaction, db: Database) -> tuple[str, dict] | None:
    taken = run(tx, "alerts/rules_pending_take")
    if not taken:
        return None
    owed = taken[0]
    # the document is committed: the rules read it in read transactions of their own, at once
    counts = on_ingest(tx, db.settings, owed["events"], set(owed["types"]), actor=owed["actor"],
                       subject=owed["subject"], request_id=owed["request_id"], held=owed["held"],
                       scope=owed["scope"], read=db.read_primary)
    run(tx, "alerts/rules_pending_done", id=owed["id"])
    return owed["subject"], counts or {}


def on_ingest(tx: ManagedTransaction, settings: Settings, event_ids: list[str], event_types: set[str], *,
              actor: str, subject: str, request_id: str | None = None, held: bool = False,
              scope: list[str] | None = None, read: Runner) -> dict | None:
    """The rules the new events (and stored events the document declared erroneous) can trigger,
    scoped to what they touched (`scope`, as `defer` stored it, or found now), in the
    transaction that answers a `defer`. The rules read committed data through `read` (the
    document is committed), several at once (engine.evaluate_lanes); their alerts are written
    in `tx`.
    With incremental rules off, SHIP_ON_HOLD still runs when a flag hold saw a shipment (`held`)."""
    config = rules_config.effective(tx, settings)
    if config.on_ingest:
        chosen = selected(config, event_types=event_types)
    elif held:
        chosen = selected(config, codes=["SHIP_ON_HOLD"])
    else:
        return None
    if not chosen or not event_ids:
        return None
    epcs = scope
    if epcs is None:
        epcs = sorted({epc for ids in _chunks(event_ids) for epc in run(tx, "alerts/scope", events=ids)[0]["epcs"]})
    evaluation = evaluate_lanes(read, config, chosen, epcs, datetime.now(UTC))
    _, counts = alerts.record(tx, evaluation, config, actor=actor, action="rules.incremental", subject=subject,
                              request_id=request_id)
    return counts
