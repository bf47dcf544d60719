"""Subscriptions to named queries: scheduled, or streamed as captures commit, to a signed
webhook; and live WebSocket listeners.

Each subscription keeps a record-time watermark (`since`) in Neo4j: a run asks for the events
recorded after it and moves it to the last one delivered, so a restart or a failed delivery
re-sends rather than loses. The dispatcher is one thread in each API process: it decides which
runs are due and queues one durable `epcis.subscription` job per run (tracegraph/epcis_query/jobs.py);
the job workers send it, retry it with backoff and dead-letter it when its attempts are spent.
The capture hook wakes the dispatcher when a document commits (it polls as well). WebSocket
listeners are this process's own and are sent to directly.
"""
from __future__ import annotations

import json
import logging
import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
from neo4j import ManagedTransaction

from graph.db import Database, native, run
from tracegraph.alerts.webhooks import post_signed
from tracegraph.audit import service as audit
from tracegraph.epcis_query import service
from tracegraph.epcis_query.errors import InvalidURIException, NoSuchNameException, SubscriptionControlsException
from tracegraph.epcis_query.models import NewSubscription, Schedule, Subscription
from tracegraph.jobs import service as jobs
from tracegraph.jobs.enums import Kind
from tracegraph.security.models import Principal

log = logging.getLogger("tracegraph.epcis.subscriptions")
PAGE = 1000  # events per delivery
_FIELDS = {"second": (0, 59), "minute": (0, 59), "hour": (0, 23), "dayOfMonth": (1, 31), "month": (1, 12),
           "dayOfWeek": (1, 7)}
_wake = threading.Event()
UNSIGNED = "no signatureToken and TRACEGRAPH_WEBHOOK_SECRET is not set: refusing to send unsigned results"


def wake() -> None:
    """Called after a capture: streamed subscriptions have something to look at."""
    _wake.set()


# -- schedules ------------------------------------------------------------------------------

def _values(name: str, spec: str) -> set[int]:
    low, high = _FIELDS[name]
    out: set[int] = set()
    for part in spec.replace(" ", "").split(","):
        m = re.fullmatch(r"\*(/(\d+))?|\[?(\d+)(-(\d+))?\]?", part)
        if not m:
            raise SubscriptionControlsException(f"schedule.{name}: {spec!r} is not a value, list, range or */n",
                                                field=f"schedule.{name}")
        if part.startswith("*"):
            step = int(m.group(2) or 1)
            if step < 1:
                raise SubscriptionControlsException(f"schedule.{name}: step must be 1 or more",
                                                    field=f"schedule.{name}")
            out.update(range(low, high + 1, step))
        else:
            a = int(m.group(3))
            b = int(m.group(5)) if m.group(5) else a
            if not low <= a <= b <= high:
                raise SubscriptionControlsException(f"schedule.{name}: {part!r} is outside {low}-{high}",
                                                    field=f"schedule.{name}")
            out.update(range(a, b + 1))
    return out


def compile_schedule(schedule: Schedule) -> dict[str, set[int]]:
    """Unset fields below the largest set one mean "the first value" (EPCIS QuerySchedule)."""
    given = {k: v for k, v in schedule.model_dump().items() if v is not None}
    if not given:
        raise SubscriptionControlsException("schedule: set at least one of " + ", ".join(_FIELDS), field="schedule")
    order = ["second", "minute", "hour", "dayOfMonth", "month", "dayOfWeek"]
    top = max(order.index(k) for k in given)
    out = {}
    for i, name in enumerate(order):
        if name in given:
            out[name] = _values(name, given[name])
        elif i < top and name in ("second", "minute", "hour"):
            out[name] = {0}
    return out


def fires(compiled: dict[str, set[int]], moment: datetime) -> bool:
    now = {"second": moment.second, "minute": moment.minute, "hour": moment.hour, "dayOfMonth": moment.day,
           "month": moment.month, "dayOfWeek": moment.isoweekday()}
    return all(now[k] in v for k, v in compiled.items())


# -- CRUD -----------------------------------------------------------------------------------

def _check_dest(dest: str) -> None:
    if not re.fullmatch(r"https?://[^\s/?#]+[^\s]*", dest):
        raise InvalidURIException(f"dest: {dest!r} is not an http(s) URL", field="dest")


def create(db: Database, name: str, new: NewSubscription, principal: Principal,
           request_id: str | None = None) -> Subscription:
    service.get_named(db, name, principal)
    _check_dest(new.dest)
    if new.stream == (new.schedule is not None):
        raise SubscriptionControlsException("give a schedule or stream: true (one of them)", field="schedule")
    if new.schedule is not None:
        compile_schedule(new.schedule)
    sub_id = str(uuid.uuid4())
    since = (new.initialRecordTime or datetime.now(UTC)).astimezone(UTC)

    def write(tx: ManagedTransaction) -> None:
        if not run(tx, "epcis/subscription_create", query_name=name, id=sub_id, dest=new.dest,
                   schedule=new.schedule.model_dump_json(exclude_none=True) if new.schedule else None,
                   stream=new.stream, report_if_empty=new.reportIfEmpty, secret=new.signatureToken,
                   owner=principal.id, party=service.party_of(principal), since=since.isoformat()):
            raise NoSuchNameException(f"no query named {name!r}", field="name")
        audit.record(tx, actor=principal.id, action="epcis.subscription.create", subject=sub_id,
                     after={"query": name, "dest": new.dest, "stream": new.stream}, request_id=request_id)
    db.write_tx(write)
    wake()
    return next(s for s in list_for(db, name, principal) if s.subscriptionID == sub_id)


def _model(name: str, s: dict) -> Subscription:
    return Subscription(subscriptionID=s["id"], queryName=name, dest=s["dest"],
                        schedule=Schedule(**json.loads(s["schedule"])) if s.get("schedule") else None,
                        stream=bool(s["stream"]), reportIfEmpty=bool(s["report_if_empty"]),
                        createdAt=native(s.get("created")), lastRun=native(s.get("last_run")),
                        runs=s.get("runs") or 0, lastStatus=s.get("last_status"), lastError=s.get("last_error"),
                        lastJob=s.get("last_job"), pendingJob=s.get("pending_job"))


def list_for(db: Database, name: str, principal: Principal) -> list[Subscription]:
    service.get_named(db, name, principal)
    return [_model(name, r["subscription"]) for r in db.read("epcis/subscription_list", query_name=name)]


def delete(db: Database, name: str, sub_id: str, principal: Principal, request_id: str | None = None) -> None:
    service.get_named(db, name, principal)

    def write(tx: ManagedTransaction) -> int:
        n = run(tx, "epcis/subscription_delete", query_name=name, id=sub_id)[0]["deleted"]
        if n:
            audit.record(tx, actor=principal.id, action="epcis.subscription.delete", subject=sub_id,
                         after={"query": name}, request_id=request_id)
        return n
    if not db.write_tx(write):
        raise NoSuchNameException(f"no subscription {sub_id!r} of query {name!r}", field="subscriptionID")


# -- running --------------------------------------------------------------------------------

def principal_of(sub: dict) -> Principal:
    roles = frozenset({"partner"}) if sub.get("party") else frozenset({"subscriber"})
    return Principal(id=sub.get("owner") or "system", roles=roles, party=sub.get("party"))


def results_since(db: Database, query: dict, since: datetime, principal: Principal) -> list[dict]:
    """The query's events recorded after `since` (oldest first), up to PAGE."""
    params = {k: v for k, v in query.items() if k not in ("orderBy", "orderDirection", "nextPageToken", "perPage",
                                                           "maxEventCount", "eventCountLimit")}
    q = service.parse(db, params)
    after = since + timedelta(microseconds=1)
    if q.filters["ge_record"] is None or q.filters["ge_record"] < after:
        q.filters["ge_record"] = after
    q.order_by, q.descending, q.per_page = "recordTime", False, PAGE
    rows, _ = service.run_query(db, q, principal)
    return rows


def deliver(db: Database, delivery_id: str, url: str, document: dict, secret: str | None = None) -> str | None:
    """POST one query document, signed like alert webhooks (`webhook-id` = `delivery_id`, the
    same on every retry of a run, so receivers can dedupe). None, or why it failed."""
    secret = secret or db.settings.webhook_secret
    if not secret:
        return UNSIGNED
    body = json.dumps(document).encode()
    try:
        status = post_signed(secret, url, body, delivery_id, db.settings.webhook_timeout_seconds,
                             content_type="application/ld+json",
                             extra={"GS1-EPCIS-Version": "2.0.0", "GS1-CBV-Version": "2.0.0"})
    except (httpx.HTTPError, OSError, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None if 200 <= status < 300 else f"HTTP {status}"


def queue_run(db: Database, row: dict, moment: datetime | None = None) -> str | None:
    """Queue the delivery job of one due run: a scheduled one (`moment`, the second it fired)
    or a streamed one (new results since the watermark). The job id names the subscription
    and the run window, and the subscription is locked while it is queued, so several API
    processes scheduling at once queue one job; a run due while the last one is still queued
    or being retried is folded into it (that one sends everything since the watermark).
    Returns the job id, or None when nothing was queued."""
    sub = row["subscription"]
    since = native(sub["since"])
    found = None
    if moment is None or not sub.get("report_if_empty"):
        found = results_since(db, json.loads(row["query"]), since, principal_of(sub))
        if not found:
            return None
    # a scheduled run is the second it fired; a streamed one, the record times it covers
    window = moment.isoformat() if moment is not None else \
        f"{since.isoformat()}..{native(found[-1]['recorded']).isoformat()}"
    job_id = f"{Kind.subscription.value}:{sub['id']}:{window}"

    def work(tx: ManagedTransaction) -> bool:
        state = run(tx, "epcis/subscription_lock", id=sub["id"])
        if not state or state[0]["pending"] in ("queued", "running") or native(state[0]["since"]) != since:
            return False  # ended, a run in hand, or another process delivered meanwhile
        if state[0]["pending_job"] == job_id:
            return False  # this window's job ran already (and was dead-lettered: new events make a new one)
        last = native(state[0]["scheduled_at"])
        if moment is not None and last is not None and moment <= last:
            return False  # this moment was queued already (by this process or another)
        jobs.enqueue(tx, db.settings, Kind.subscription.value, {"subscription": sub["id"], "query": row["name"],
                                                                "window": window},
                     job_id=job_id, max_attempts=db.settings.webhook_max_attempts)
        run(tx, "epcis/subscription_queued", id=sub["id"], job=job_id,
            moment=moment.isoformat() if moment is not None else None)
        return True
    if not db.write_tx(work):
        return None
    jobs.wake()
    return job_id


@dataclass
class Listener:
    """A WebSocket client: `send(document)` is called from the dispatcher thread."""
    name: str
    query: dict
    principal: Principal
    send: Callable[[dict], None]
    since: datetime = field(default_factory=lambda: datetime.now(UTC))


class Dispatcher:
    """The background runner of subscriptions in the API process."""

    def __init__(self, db: Database, poll_seconds: float = 1.0):
        self.db = db
        self.poll = poll_seconds
        self.listeners: list[Listener] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.last_tick = datetime.now(UTC).replace(microsecond=0)
        self.thread = threading.Thread(target=self._loop, name="epcis-subscriptions", daemon=True)

    def start(self) -> Dispatcher:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        _wake.set()
        self.thread.join(timeout=30)

    def listen(self, listener: Listener) -> None:
        with self.lock:
            self.listeners.append(listener)
        _wake.set()

    def unlisten(self, listener: Listener) -> None:
        with self.lock:
            if listener in self.listeners:
                self.listeners.remove(listener)

    def _loop(self) -> None:
        try:
            service.backfill(self.db)  # facets of events stored before the query interface
        except Exception:
            log.exception("indexing stored events for queries failed; it is tried again at the next start")
        while not self.stopping.is_set():
            _wake.wait(self.poll)
            _wake.clear()
            if self.stopping.is_set():
                return
            try:
                self.tick()
            except Exception:  # Neo4j away for a moment: the next tick tries again
                log.exception("subscription run failed")

    def tick(self) -> None:
        now = datetime.now(UTC).replace(microsecond=0)
        seconds = [self.last_tick + timedelta(seconds=i)
                   for i in range(1, min(int((now - self.last_tick).total_seconds()), 120) + 1)]
        self.last_tick = max(now, self.last_tick)
        for row in self.db.read("epcis/subscriptions_active", stream=None):
            sub = row["subscription"]
            if sub["stream"]:
                queue_run(self.db, row)
            elif sub.get("schedule"):
                compiled = compile_schedule(Schedule(**json.loads(sub["schedule"])))
                due = [moment for moment in seconds if fires(compiled, moment)]
                if due:  # moments missed while this process was busy are one run
                    queue_run(self.db, row, due[-1])
        with self.lock:
            listeners = list(self.listeners)
        for listener in listeners:
            rows = results_since(self.db, listener.query, listener.since, listener.principal)
            if rows:
                listener.since = native(rows[-1]["recorded"])
                listener.send(service.query_document(rows, listener.name))
