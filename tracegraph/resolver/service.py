"""A GS1 Digital Link resolver over what tracegraph knows: a linkset (RFC 9264) per key.

Link types (GS1 Web Vocabulary): gs1:epcis (the key's events, through the EPCIS query
interface), gs1:traceability (the serial's timeline; internal callers), gs1:pip (product
information), gs1:recallStatus (in a saved recall scope or not, and what to do),
gs1:verificationService (serials), gs1:defaultLink (the console page).
What a partner gets follows GET /v1/verify: a serial, lot or container its party never
shipped, received or held answers 404 exactly like an unknown one; partners get no links to
internal resources (timeline, recall scopes, master-data history).
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from core.errors import NotFound
from core.identifiers import to_digital_link
from graph.db import Database
from tracegraph.security import roles
from tracegraph.security.models import Principal
from tracegraph.verify import service as verify

GS1 = "https://gs1.org/voc/"
LINK_TYPES = ("epcis", "traceability", "pip", "recallStatus", "verificationService", "defaultLink")
CONSOLE = {"sgtin": "/console/serial/", "lgtin": "/console/lot/", "sscc": "/console/container/"}


@dataclass
class Resolution:
    epc: str
    kind: str  # sgtin | lgtin | sscc
    anchor: str  # the canonical Digital Link
    links: dict[str, list[dict]]  # link type (full GS1 URI) → targets

    def linkset(self) -> dict:
        return {"linkset": [{"anchor": self.anchor, **self.links}]}

    def target(self, link_type: str) -> str | None:
        found = self.links.get(expand(link_type))
        return found[0]["href"] if found else None


def expand(link_type: str) -> str:
    """`gs1:pip`, `pip` and `https://gs1.org/voc/pip` name one link type."""
    if link_type.startswith(GS1):
        return link_type
    return GS1 + link_type.removeprefix("gs1:")


def kind_of(epc: str) -> str | None:
    for kind, prefix in (("sgtin", "urn:epc:id:sgtin:"), ("lgtin", "urn:epc:class:lgtin:"),
                         ("sscc", "urn:epc:id:sscc:")):
        if epc.startswith(prefix):
            return kind
    return None


def _q(value: str) -> str:
    return quote(value, safe="")


def _link(href: str, title: str, media: str = "application/json") -> dict:
    return {"href": href, "title": title, "type": media}


async def resolve(db: Database, epc: str, principal: Principal, base: str) -> Resolution:
    kind = kind_of(epc)
    if kind is None:
        raise NotFound("this resolver answers for a serial (01+21), a lot (01+10) or an SSCC (00)", field="key")
    internal = not principal.is_partner
    links: dict[str, list[dict]] = {}
    events_href = f"{base}/epcis/epcs/{_q(epc)}/events"
    if kind == "sgtin":
        found = await verify.verify(db, epc, principal)  # partners: 404 unless their party handled it
        gtin, recalled, on_hold = found.gtin, found.recalled, found.on_hold
        scopes = [r["id"] for r in db.read("resolver/serial_scopes", epc=epc)] if internal and recalled else []
        links[GS1 + "verificationService"] = [_link(f"{base}/v1/verify?id={_q(epc)}", "Verify this serial")]
        if internal:
            links[GS1 + "traceability"] = [_link(f"{base}/v1/serials/{_q(epc)}/timeline", "Timeline")]
    else:
        rows = db.read("resolver/key", epc=epc, party=principal.party if principal.is_partner else None)
        if not rows or (principal.is_partner and not rows[0]["holder"]):
            raise NotFound(f"no {'lot' if kind == 'lgtin' else 'container'} {epc} is known to you", field="key")
        row = rows[0]
        gtin, scopes, on_hold = row["gtin"], row["scopes"], row["on_hold"]
        recalled = bool(scopes)
        scopes = scopes if internal else []
    if roles.allows(principal.roles, "queries:read"):
        links[GS1 + "epcis"] = [_link(events_href, "EPCIS events", "application/ld+json")]
    if gtin:
        pip = f"{base}/v1/master/products/{gtin}/history" if roles.allows(principal.roles, "master:read") else \
            f"{base}/v1/verify?id={_q(epc)}" if kind == "sgtin" else None
        if pip:
            links[GS1 + "pip"] = [_link(pip, "Product information")]
    links[GS1 + "recallStatus"] = [_recall(base, epc, kind, recalled, on_hold, scopes)]
    links[GS1 + "defaultLink"] = [_link(f"{base}{CONSOLE[kind]}{_q(epc)}", "tracegraph console", "text/html")]
    return Resolution(epc=epc, kind=kind, anchor=to_digital_link(epc), links=links)


def _recall(base: str, epc: str, kind: str, recalled: bool, on_hold: bool, scopes: list[str]) -> dict:
    if recalled:
        title = ("Recalled: in a saved recall scope. Quarantine it, do not use, ship or implant it, "
                 "and contact the manufacturer")
    elif on_hold:
        title = "On hold: do not use or ship it until the hold is released"
    else:
        title = "Not recalled and not on hold"
    href = f"{base}/v1/recall-scope/{_q(scopes[0])}" if scopes else \
        f"{base}/v1/verify?id={_q(epc)}" if kind == "sgtin" else f"{base}{CONSOLE[kind]}{_q(epc)}"
    return {**_link(href, title), "recalled": ["true" if recalled else "false"],
            "onHold": ["true" if on_hold else "false"]}
