"""Deterministic synthetic EPCIS 2.0 data: one production order at a time, streamed to files.

Within a production order events are in time order; across orders they are not
(an order's hospital tail is written before the next order is produced), but
every object's events appear in file order = time order.
"""
from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from loaders.generator import masterdata
from loaders.generator.clock import DAY, epoch, iso
from loaders.generator.flows import World
from loaders.generator.rand import StableRandom
from loaders.generator.writer import PartWriter, dumps

__all__ = ["SHAPES", "GenerateStats", "generate"]

START = epoch(2024, 1, 1, 6)
SPAN = 700 * DAY  # production orders are spread over ~2 years
CREATED = epoch(2026, 10, 1)  # after the last tail event of a 1M-serial run
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://tracegraph.dev/generator")
# standard: genealogy up to 3 transformations deep, devices → case → pallet.
# deep: up to 6 deep (processed materials, modules, core assemblies), devices → inner pack → case → pallet.
SHAPES = ("standard", "deep")


def event_uuids(seed: int):
    """`uuid.uuid5(namespace(seed), str(n))` for n = 1, 2, ...; inlined because
    building UUID objects was a fifth of the run time."""
    base = hashlib.sha1(uuid.uuid5(_NAMESPACE, str(seed)).bytes)
    n = 0
    while True:
        n += 1
        h = base.copy()
        h.update(str(n).encode())
        x = h.hexdigest()
        yield (f"{x[:8]}-{x[8:12]}-5{x[13:16]}-{'89ab'[int(x[16], 16) & 3]}{x[17:20]}-{x[20:32]}")


@dataclass(frozen=True)
class GenerateStats:
    serials: int  # finished device SGTINs commissioned
    events: int
    files: int
    lots: int  # raw-material, component, sub-assembly and finished-goods lots (and "deep" intermediates)
    containers: int  # inner pack, case and pallet SSCCs, incl. distributors' re-packed cases
    sites: int  # BusinessLocation elements, incl. production lines
    parties: int
    products: int


def order_size_range(serials: int) -> tuple[int, int]:
    """200–1000 devices per order; smaller for tiny runs so they still have several orders."""
    lo = max(1, min(200, serials // 8))
    hi = max(lo, min(1000, serials // 3))
    return lo, hi


def generate(out_dir: Path, serials: int, seed: int = 1, events_per_file: int = 5000,
             progress: Callable[[int], None] | None = None, shape: str = "standard") -> GenerateStats:
    """Write `out_dir/part-00000.json`, ... for `serials` finished devices.

    Same arguments give byte-identical files. Previous `part-*.json` files in
    `out_dir` are removed. `progress(n)` gets the finished serials produced since
    its last call (once per production order). `shape` is one of `SHAPES`.
    """
    if serials < 0:
        raise ValueError("serials must be >= 0")
    if shape not in SHAPES:
        raise ValueError(f"shape must be one of {', '.join(SHAPES)}")
    md = masterdata.build(StableRandom(f"tracegraph-masterdata:{seed}"), serials, shape)
    world = World(md, StableRandom(f"tracegraph-flows:{seed}"))
    sizes = StableRandom(f"tracegraph-orders:{seed}")
    creation = iso(CREATED + int(StableRandom(f"tracegraph-created:{seed}").random() * DAY))
    writer = PartWriter(Path(out_dir), events_per_file, creation, masterdata.vocabulary_list(md))
    ids = event_uuids(seed)
    lo, hi = order_size_range(serials)
    done = 0
    try:
        while done < serials:
            size = min(sizes.randint(lo, hi), serials - done)
            for t, _, etype, site, body in world.order(size, START + SPAN * done // serials):
                eid = next(ids)
                writer.write_line(f'{{"type":"{etype}","eventTime":"{iso(t)}","eventTimeZoneOffset":'
                                  f'"{site.zone.offset(t)}","eventID":"urn:uuid:{eid}",{dumps(body)[1:]}')
            done += size
            if progress is not None:
                progress(size)
    finally:
        files = writer.close()
    return GenerateStats(serials=serials, events=writer.events, files=files, lots=world.lots,
                         containers=world.containers, sites=len(md.sites), parties=len(md.parties),
                         products=len(md.products))
