"""Where each serial is now: computed from its events and its containers' events
(`recall/where`), and kept on the item by the writer so a recall scope of a million
serials reads properties instead of walking every history again.

The writer refreshes the items a document can affect (`refresh`) in the document's own
transaction. Neo4j reads committed data (read committed), so two writers of one item
running at once would each compute its state without the other's uncommitted events,
and the later commit would store a state that misses the earlier one's. Hence locks:

* An item's state depends on the events naming it and on those naming a container it was
  packed in (`IN`, up to 4 levels). So a writer write-locks every object its events name
  and everything ever packed inside them (`lock`): first the objects of the whole document,
  before it reads or writes anything (`ingest/lock_objects`, in epc order, so writers of
  the same items queue instead of deadlocking), then, just before computing, the same
  closure over what it actually wrote (`ingest/lock_affected`), which adds packing made in
  this transaction. Neo4j holds write locks to commit. The pass is repeated until it finds
  nothing new, except objects this transaction created: nobody else can see them before
  commit, so nothing but this transaction's own packing (which the pass read) is inside them.
* Two writers whose events bear on item X both end up locking X, or a container that links
  their events to X: a writer locks, just before computing, the closure of what its events
  named as it reads it then (`refresh` repeats the pass until it finds nothing new, so the
  closure it computes from is locked whole), and a writer that packs X into a container
  names both. Whichever locks the shared object second waits for the first to commit,
  then reads everything the first wrote, packing included: either X is in its closure and
  it stores X's state from all their events, or it is the packer of X and reads X's state
  upwards through the containers (`recall/where`), events of both included. So the last
  state stored on X is that of all committed events.
* Objects a document creates cannot be locked before they exist; a second writer creating
  the same one waits on the uniqueness lock of its MERGE until the first commits, and
  computes after that. A deadlock that ordering cannot avoid (a closure that grew under
  a writer) is a transient error: the driver retries the whole transaction.

`backfill` locks its items before storing them, for the same reason. (Recomputing owed
items after commit instead would need its own ordering of recomputations; computing under
the locks in the writer's transaction keeps "committed" meaning "state stored".)

As-of questions and items stored before this existed are computed (`compute`). The writer
also stores from when on the state answers as of any moment (`state_known`, see `store`):
an as-of question about a moment after it reads the stored state instead.
"""
from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from neo4j import ManagedTransaction

from graph.db import columns, native, run

Runner = Callable[..., dict]  # (query name, **params) -> the columns of its one record
CHUNK = 2000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EMPTY = {"site": None, "status": "unknown", "direct": False, "shipments": []}
PLACES = ("containers", "places", "bare", "read_points")  # stored in one list, state_where (`where`)
TAGS = {"containers": "c", "places": "p", "bare": "b", "read_points": "r"}  # trace/page reads 'b'
KINDS = {tag: kind for kind, tag in TAGS.items()}
# The stored format: items stored with an older one (before places were kept) are pending
# (recall/unkeyed) and read as unstored until `tracegraph db refresh-state` (or a load) restores them.
VERSION = 2


def compute(runner: Runner, epcs: list[str], as_of, readers: int = 1, settled: bool = True) -> dict[str, dict]:
    """Per serial: current `site`, `status`, `direct` (named by an event) and `shipments`; as of
    `as_of` the stored state where nothing that bears on it was known later (`store`), else by
    recall/where_as_of (a chunk's holders read once for all their items); now by the
    item-by-item recall/where (the check on the state the writer stores). `readers` > 1: that
    many chunks at once, each its own read (Neo4j computes each on a core), for a runner that
    may be called from several threads (Database.read_columns, not a transaction's). `settled`
    False: as of a moment, every serial is walked (the caller took the settled stored states
    already: the recall scope's closure reads them, genealogy/closure.bfs)."""
    name = "recall/where" if as_of is None else "recall/where_as_of"
    out: dict[str, dict] = {}
    walk = epcs
    if as_of is not None and settled:
        # the stored states that are also the states then
        out, walk = _stored(runner, epcs, as_of, "settled")
    chunks = [walk[i:i + CHUNK] for i in range(0, len(walk), CHUNK)]

    def read(chunk: list[str]) -> None:
        out.update(from_where(runner(name, epcs=chunk, as_of=as_of)))
    if readers > 1 and len(chunks) > 1:
        with ThreadPoolExecutor(max_workers=min(readers, len(chunks))) as pool:
            list(pool.map(read, chunks))
    else:
        for chunk in chunks:
            read(chunk)
    return {epc: out.get(epc, EMPTY) for epc in epcs}


def _stored(runner: Runner, epcs: list[str], as_of, column: str) -> tuple[dict[str, dict], list[str]]:
    """`split` over recall/state: the stored states of the items whose `column` is true, and the
    items left to compute."""
    out: dict[str, dict] = {}
    rest: list[str] = []
    read = reader()
    for i in range(0, len(epcs), CHUNK * 5):
        found, left = split(runner("recall/state", epcs=epcs[i:i + CHUNK * 5], as_of=as_of), column, read)
        out.update(found)
        rest += left
    return out, rest


def split(r: dict, column: str, read: Callable[..., dict] | None = None) -> tuple[dict[str, dict], list[str]]:
    """Of recall/state_columns' items: the stored states of those whose `column` is true
    ("stored": there is one; "settled": it is also the state as of then), and the other items."""
    read = read or reader()
    out: dict[str, dict] = {}
    rest: list[str] = []
    for epc, ok, site, status, direct, ms, to in zip(r["epcs"], r[column], r["sites"], r["statuses"],
                                                     r["directs"], r["ship_ms"], r["ship_to"]):
        if ok:
            out[epc] = read(site, status, direct, ms, to)
        else:
            rest.append(epc)
    return out, rest


def reader() -> Callable[[str, str, bool, list[int], list[str]], dict]:
    """`from_columns`, built once per distinct stored state and shared: items packed and shipped
    together have the same one (a 100k scope has a few thousand). The states are only read."""
    memo: dict[tuple, dict] = {}

    def read(site: str, status: str, direct: bool, ms: list[int], to: list[str]) -> dict:
        key = (site, status, direct, tuple(ms), tuple(to))
        found = memo.get(key)
        if found is None:
            found = memo[key] = from_columns(site, status, direct, ms, to)
        return found
    return read


def from_where(r: dict) -> dict[str, dict]:
    """`compute`'s answer from the columns of recall/where (or recall/item_now). The tests read
    recall/where through it: the item-by-item answer the faster reads must match."""
    return {epc: {"site": site or None, "status": status, "direct": direct,
                  "shipments": [{"ms": ms, "destinations": dests} for ms, dests in shipments]}
            for epc, site, status, direct, shipments in zip(r["epcs"], r["sites"], r["statuses"], r["directs"],
                                                            r["shipments"])}


def _places(r: dict) -> dict[str, dict]:
    """`places`' answer from the columns of recall/item_places (or recall/item_now)."""
    return {epc: {k: sorted(set(v)) for k, v in zip(PLACES, lists)}
            for epc, *lists in zip(r["epcs"], r["containers"], r["places"], r["bare"], r["read_points"])}


def current(runner: Runner, epcs: list[str]) -> tuple[dict[str, dict], dict[str, dict], dict[str, int]]:
    """`compute(runner, epcs, None)` and `places(runner, epcs)` in one walk per item (recall/item_now),
    and the time of each one's latest event (epoch ms, 0 for none)."""
    now: dict[str, dict] = {}
    seen: dict[str, dict] = {}
    latest: dict[str, int] = {}
    for i in range(0, len(epcs), CHUNK):
        r = runner("recall/item_now", epcs=epcs[i:i + CHUNK])
        now.update(from_where(r))
        seen.update(_places(r))
        latest.update(zip(r["epcs"], r["latest"]))
    return ({epc: now.get(epc, EMPTY) for epc in epcs},
            {epc: seen.get(epc, {k: [] for k in PLACES}) for epc in epcs},
            {epc: latest.get(epc, 0) for epc in epcs})


def from_columns(site: str, status: str, direct: bool, ship_ms: list[int], ship_to: list[str]) -> dict:
    """A stored state as `compute` gives it."""
    return {"site": site or None, "status": status, "direct": direct,
            "shipments": [{"ms": m, "destinations": d.split()} for m, d in zip(ship_ms, ship_to)]}


def stored(runner: Runner, epcs: list[str]) -> dict[str, dict]:
    """The stored state; serials without one are computed."""
    out, missing = _stored(runner, epcs, None, "stored")
    if missing:
        out.update(compute(runner, missing, None))
    return {epc: out.get(epc, EMPTY) for epc in epcs}


def lock(tx: ManagedTransaction, epcs: list[str]) -> set[str]:
    """Write-lock these stored objects and everything packed inside them (see the docstring)."""
    ordered, held = sorted(set(epcs)), set()
    for i in range(0, len(ordered), CHUNK * 5):  # chunks in order: the epc order holds across them
        held.update(run(tx, "ingest/lock_objects", epcs=ordered[i:i + CHUNK * 5])[0]["epcs"])
    return held


def refresh(tx: ManagedTransaction, event_ids: list[str], locked: set[str] = frozenset(),
            token: str | None = None, declared: datetime | None = None) -> list[str]:
    """Recompute and store the state of every item these events can affect; returns the
    objects they named and everything packed inside them (what it locked), sorted.
    `locked`: the objects this transaction locked already (`lock`). The closure is locked
    again until a pass adds nothing, so what is computed cannot change before commit.
    `token`: the mark of the objects this transaction created (the writer's); they count as
    held once locked: nothing committed can be packed into them, so no second pass for them."""
    held = set(locked)
    while True:
        epcs: set[str] = set()
        items: set[str] = set()
        fresh: set[str] = set()
        for i in range(0, len(event_ids), CHUNK * 5):
            found = run(tx, "ingest/lock_affected", events=event_ids[i:i + CHUNK * 5], token=token)[0]
            epcs.update(found["epcs"])
            items.update(found["items"])
            fresh.update(found["fresh"])
        if epcs - fresh <= held:
            break
        held |= epcs
    store(tx, sorted(items), declared)
    return sorted(epcs)


def places(runner: Runner, epcs: list[str]) -> dict[str, dict]:
    """Per item, what trace/places.cypher counts for it (recall/item_places): `containers`,
    `places` (bizLocations, shipping destinations), `bare` (read points standing for their
    site: resolved when read), `read_points`; sorted lists."""
    out: dict[str, dict] = {}
    for i in range(0, len(epcs), CHUNK):
        out.update(_places(runner("recall/item_places", epcs=epcs[i:i + CHUNK])))
    return {epc: out.get(epc, {k: [] for k in PLACES}) for epc in epcs}


def key(site: str | None, status: str, lot: str | None, gtin: str | None, ship_ms: list[int],
        ship_to: list[str]) -> str:
    """An item's `state_key` as cypher/ingest/item_state.cypher writes it (the bulk loader
    imports it): site, status, lot, gtin, then "ms destinations" per shipment; fields split by
    U+001F, shipments ended by U+001E (neither occurs in a URI)."""
    return "\x1f".join([site or "", status, lot or "", gtin or ""]) + "\x1f" + \
        "".join(f"{ms} {to}\x1e" for ms, to in zip(ship_ms, ship_to, strict=True))


def unkey(stored: str) -> tuple[str | None, str, str | None, str | None, str]:
    """`key` read back: site, status, lot, gtin, and the shipments still as text (items shipped
    together share it: `shipments` parses each distinct text once)."""
    site, status, lot, gtin, trips = stored.split("\x1f")
    return site or None, status, lot or None, gtin or None, trips


def shipments(trips: str) -> list[tuple[int, list[str]]]:
    """The shipments of a `key`, as (ms, destinations)."""
    return [(int(ms), [d for d in dests if d])
            for ms, *dests in (trip.split(" ") for trip in trips.split("\x1e") if trip)]


def where(found: dict[str, list[str]]) -> list[str]:
    """`places` of one item as stored (`state_where`): one list, each entry its kind's tag
    (TAGS), U+001F (never in a URI), the value."""
    return [f"{TAGS[kind]}\x1f{value}" for kind in PLACES for value in found[kind]]


def unwhere(entries: list[str]) -> dict[str, set[str]]:
    """`where` read back: kind -> values."""
    out: dict[str, set[str]] = {kind: set() for kind in PLACES}
    for entry in entries:
        out[KINDS[entry[0]]].add(entry[2:])
    return out


def store(tx: ManagedTransaction, epcs: list[str], declared: datetime | None = None) -> int:
    """Recompute these items' state and places from their events and store them on them, with
    `state_known`: from when on the state is also the state as of any moment. Whatever bears on
    an item's state (events, packings, unpackings, declarations and what they undid) is known
    once it had happened and been recorded, and its record refreshes the item's state: so from
    the later of now, the item's latest event and `declared` (the latest moment a declaration of
    this transaction counts from: capture/writer.declared_at, maybe after now) nothing more is to
    come to light about what is stored."""
    def runner(name, **p):
        return columns(tx, name, **p)
    now, seen, latest = current(runner, epcs)
    floor = max(datetime.now(UTC), declared or EPOCH)
    # an empty list as None, no property (as the bulk importer stores it); readers take null for []
    rows = [{"epc": epc, "site": s["site"], "status": s["status"], "direct": s["direct"],
             "ship_ms": [x["ms"] for x in s["shipments"]] or None,
             "ship_to": [" ".join(x["destinations"]) for x in s["shipments"]] or None,
             "where": where(seen[epc]) or None,
             # the latest event's time in whole ms, one more: never before its exact time
             "known": max(floor, EPOCH + timedelta(milliseconds=latest[epc] + 1)).isoformat()}
            for epc, s in now.items()]
    for i in range(0, len(rows), CHUNK):
        run(tx, "ingest/item_state", rows=rows[i:i + CHUNK], version=VERSION)
    return len(rows)


def pending(db, everything: bool = False) -> list[str]:
    """Items whose stored state is missing or older than VERSION (or every item)."""
    return db.read_columns("recall/unkeyed", everything=everything, version=VERSION)["epcs"]


def backfill(db, epcs: list[str], advance: Callable[[int], None] = lambda n: None) -> int:
    """Store these items' state, one transaction per CHUNK items."""
    declared = native(db.read("recall/declared_latest")[0]["latest"]) if epcs else None
    for i in range(0, len(epcs), CHUNK):
        chunk = epcs[i:i + CHUNK]

        def work(tx: ManagedTransaction, chunk: list[str] = chunk) -> int:
            lock(tx, chunk)  # a writer of these items now waits, or we wait for it and read its events
            return store(tx, chunk, declared)
        db.write_tx(work)
        advance(len(chunk))
    return len(epcs)
