"""Helpers shared by the rules, alerts and holds tests (no tests here)."""
from __future__ import annotations

from datetime import datetime

from loaders.epcis.document import parse_document
from tests.epcis import document, sgln
from tracegraph.capture.writer import LoadResult, write_document
from tracegraph.rules import service as rules


def pgln(n: int) -> str:
    return f"urn:epc:id:pgln:0614141.{n:05d}"


def lenient_binding():
    """Data quality rejects a serial bound to two lots by default; `flag` lets it in."""
    from importlib import resources

    from tracegraph.quality import policy
    from tracegraph.quality import service as quality
    text = resources.files("tracegraph.quality").joinpath("default_policy.yaml").read_text()
    return quality.using(policy.parse(text.replace("serial_lot_binding: reject", "serial_lot_binding: flag"),
                                      "test.yaml"))


def load(db, events: list[dict], source: str = "test") -> LoadResult:
    return write_document(db, parse_document(document(events), source))


def sweep(db, code: str, now: datetime | None = None):
    """Findings of one rule over all data (nothing recorded)."""
    return [f for f in rules.sweep(db, [code], dry_run=True, now=now).findings if f.rule == code]


def subjects(db, code: str, now: datetime | None = None) -> set[str]:
    return {f.subject for f in sweep(db, code, now)}


def master(db, sites: dict[int, tuple[int, str]], authorized: list[dict] = (),
           site_type: str = "distributor", region: str = "EU") -> None:
    """sites: site number -> (party number, channel); authorized: from/to party numbers."""
    db.write("alerts/test_master_data",
             sites=[{"site": sgln(n), "party": pgln(p), "channel": ch, "site_type": site_type, "region": region}
                    for n, (p, ch) in sites.items()],
             authorized=[{"from_party": pgln(a["from"]), "to_party": pgln(a["to"]),
                          "products": a.get("products", ["*"]), "channel": a.get("channel"),
                          "valid_from": a.get("valid_from"), "valid_to": a.get("valid_to")} for a in authorized])
