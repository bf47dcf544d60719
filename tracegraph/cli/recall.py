"""`tracegraph recall ...`: recall campaigns from the command line (the service the API uses).
The contract of issue 14 section 4: same field names as /v1/recalls."""
from __future__ import annotations

import json
import os
from contextlib import contextmanager

import typer
from pydantic import ValidationError

from core.errors import TracegraphError
from core.settings import get_settings
from graph.db import Database

app = typer.Typer(help="Recall campaigns: create from a scope, notify, record responses, report, close.",
                  no_args_is_help=True)
ACTOR = "cli"


@contextmanager
def _db():
    with Database(get_settings()) as db:
        yield db


def _print(model) -> None:
    data = model.model_dump(mode="json") if hasattr(model, "model_dump") else model
    typer.echo(json.dumps(data, indent=2, sort_keys=True))


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def _invalid(exc: ValidationError) -> None:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "request"
    _fail(f"{where}: {first['msg']}")


@contextmanager
def _errors():
    """Domain errors as one line on stderr and exit code 1 (as `main` does, also under CliRunner)."""
    try:
        yield
    except TracegraphError as exc:
        _fail(str(exc))


@app.command("create")
def create(lot: list[str] = typer.Option([], "--lot", help="Lot (LGTIN URN) to recall."),
           serial: list[str] = typer.Option([], "--serial", help="Serial (SGTIN URN) to recall."),
           container: list[str] = typer.Option([], "--container", help="Container (SSCC): its contents."),
           product: list[str] = typer.Option([], "--product", help="Product GTIN."),
           classification: str = typer.Option(..., "--classification", help="I, II, III or FSCA."),
           kind: str = typer.Option(..., "--type", help="removal, correction or advisory."),
           depth: str = typer.Option(..., "--depth", help="wholesale, retail or user."),
           reason: str = typer.Option(..., "--reason", help="Why the product is recalled."),
           health_hazard: str = typer.Option(None, "--health-hazard", help="Health hazard summary."),
           action: str = typer.Option(None, "--action", help="What consignees must do (default by type)."),
           investigation: str = typer.Option(None, "--investigation", help="Linked investigation id."),
           as_json: bool = typer.Option(False, "--json", help="Print the campaign as JSON.")) -> None:
    """Start a campaign from a recall scope; the scope and each consignee's notice are snapshotted."""
    from tracegraph.campaigns import service
    from tracegraph.campaigns.models import CampaignRequest
    starts = [{"kind": k, "id": v} for k, values in (("lot", lot), ("serial", serial), ("container", container),
                                                      ("product", product)) for v in values]
    if not starts:
        _fail("name what to recall: --lot, --serial, --container or --product")
    try:
        request = CampaignRequest(starts=starts, classification=classification, type=kind, depth=depth,
                                  reason=reason, health_hazard=health_hazard, action=action,
                                  investigation_id=investigation)
    except ValidationError as exc:
        _invalid(exc)
    with _db() as db, _errors():
        campaign = service.create(db, request, actor=ACTOR)
    if as_json:
        _print(campaign)
    else:
        typer.echo(f"recall campaign {campaign.id}: {campaign.scope_serials} serials, {campaign.notices} notices")


@app.command("notices")
def notices(campaign_id: str = typer.Argument(..., metavar="ID"),
            as_json: bool = typer.Option(False, "--json", help="Print the notices as a JSON list.")) -> None:
    """One notice per consignee site: its serials, lots, GTINs and quantities."""
    from tracegraph.campaigns import service
    with _db() as db, _errors():
        found = service.notices(db, campaign_id)
    if as_json:
        typer.echo(json.dumps([n.model_dump(mode="json") for n in found], indent=2, sort_keys=True))
        return
    for n in found:
        typer.echo(f"{n.site}\t{n.party or '-'}\t{n.quantity} unit(s)\t{n.state.value}")


@app.command("notify")
def notify(campaign_id: str = typer.Argument(..., metavar="ID")) -> None:
    """Issue the draft notices and deliver them where a channel is configured (SMTP, webhook)."""
    from tracegraph.campaigns import delivery, service
    with _db() as db, _errors():
        issued = service.notify(db, campaign_id, actor=ACTOR)
        sent = delivery.deliver(db, campaign_id, issued) if issued else {"delivered": 0, "failed": 0}
    typer.echo(f"issued {len(issued)} notice(s); deliveries: {sent['delivered']} delivered, {sent['failed']} failed")


@app.command("ack")
def ack(campaign_id: str = typer.Argument(..., metavar="ID"),
        site: str = typer.Option(..., "--site", help="The consignee site (SGLN URN)."),
        units_on_hand: int = typer.Option(None, "--units-on-hand", min=0, help="Units the consignee has."),
        note: str = typer.Option(None, "--note")) -> None:
    """Record a consignee's acknowledgement of its notice."""
    from tracegraph.campaigns import service
    with _db() as db, _errors():
        found = service.acknowledge(db, campaign_id, site, units_on_hand, note, actor=ACTOR)
    typer.echo(f"acknowledged: {found.site}")


@app.command("return")
def record_return(campaign_id: str = typer.Argument(..., metavar="ID"),
                  serial: list[str] = typer.Option([], "--serial", help="Serial (SGTIN URN); repeat for several."),
                  site: str = typer.Option(None, "--site", help="Instead: every unit of this consignee's notice."),
                  disposition: str = typer.Option("returned", "--disposition",
                                                  help="returned, corrected, destroyed or justified."),
                  note: str = typer.Option(None, "--note", help="Why (required for justified).")) -> None:
    """Record units returned, corrected, destroyed or justified."""
    from tracegraph.campaigns import service
    from tracegraph.campaigns.models import ReturnsRequest
    try:
        request = ReturnsRequest(units=[{"serial": s, "disposition": disposition, "note": note} for s in serial],
                                 site=site, disposition=disposition, note=note)
    except ValidationError as exc:
        _invalid(exc)
    with _db() as db, _errors():
        units = request.units or service.site_units(db, campaign_id, site, request.disposition, note)
        n = service.record_units(db, campaign_id, units, actor=ACTOR)
    typer.echo(f"recorded {n} unit(s) as {disposition}")


@app.command("status")
def status(campaign_id: str = typer.Argument(..., metavar="ID"),
           as_json: bool = typer.Option(False, "--json", help="Print the status as JSON.")) -> None:
    """Live progress: consignees notified/responded, units returned/corrected/destroyed/outstanding."""
    from tracegraph.campaigns import service
    with _db() as db, _errors():
        found = service.status(db, campaign_id)
    if as_json:
        _print(found)
        return
    for key in ("state", "consignees_notified", "consignees_responded", "consignees_not_responded", "units_in_scope",
                "units_returned", "units_corrected", "units_destroyed", "units_justified", "units_outstanding"):
        value = getattr(found, key)
        typer.echo(f"{key}: {getattr(value, 'value', value)}")


@app.command("rescope")
def rescope(campaign_id: str = typer.Argument(..., metavar="ID"),
            add: list[str] = typer.Option([], "--add-site", help="Add this new consignee site (SGLN).")) -> None:
    """Show what the data says now against the snapshot; add new consignees only with --add-site."""
    from tracegraph.campaigns import service
    with _db() as db, _errors():
        found = service.add_consignees(db, campaign_id, add, actor=ACTOR) if add else service.rescope(db, campaign_id)
    _print(found)


@app.command("check")
def check(campaign_id: str = typer.Argument(..., metavar="ID"),
          level: str = typer.Option(..., "--level", help="A (100 %), B (>10 %), C (10 %), D (2 %), E (none)."),
          percent: float = typer.Option(None, "--percent", help="Level B: the share of consignees."),
          seed: int = typer.Option(None, "--seed", help="Seed of the draw (default: drawn and recorded).")) -> None:
    """Draw an effectiveness check sample (21 CFR 7.42)."""
    from tracegraph.campaigns import service
    from tracegraph.campaigns.models import CheckRequest
    try:
        request = CheckRequest(level=level, percent=percent, seed=seed)
    except ValidationError as exc:
        _invalid(exc)
    with _db() as db, _errors():
        _print(service.create_check(db, campaign_id, request, actor=ACTOR))


@app.command("report")
def report(campaign_id: str = typer.Argument(..., metavar="ID"),
           kind: str = typer.Option("status", "--kind", help="cfr806, status or fsca."),
           fmt: str = typer.Option("json", "--format", help="json, pdf or xlsx."),
           out: str = typer.Option(None, "--out", help="File to write (pdf and xlsx need one).")) -> None:
    """A regulator report from the campaign."""
    from tracegraph.campaigns import reports
    from tracegraph.campaigns.enums import Report
    try:
        chosen = Report(kind)
    except ValueError:
        _fail(f"--kind: {kind!r} is not one of cfr806, status, fsca")
    if fmt not in ("json", "pdf", "xlsx"):
        _fail(f"--format: {fmt!r} is not one of json, pdf, xlsx")
    if fmt != "json" and not out:
        _fail(f"--out: a {fmt} report is written to a file")
    with _db() as db, _errors():
        data = reports.build(db, campaign_id, chosen)
    body = json.dumps(data, indent=2, sort_keys=True) if fmt == "json" else \
        (reports.pdf(chosen, data) if fmt == "pdf" else reports.xlsx(data))
    if out:
        with open(out, "wb") as fh:
            fh.write(body.encode() if isinstance(body, str) else body)
        typer.echo(f"wrote {out}")
    else:
        typer.echo(body)


@app.command("close")
def close(campaign_id: str = typer.Argument(..., metavar="ID"),
          signer: str = typer.Option(None, "--signer", help="The signing user (e-signature)."),
          meaning: str = typer.Option("approved", "--meaning", help="approved, reviewed or responsible."),
          reason: str = typer.Option(None, "--reason")) -> None:
    """Terminate the recall: refused (exit 1, outstanding list) while units are outstanding.
    The signer's password comes from TRACEGRAPH_ESIGN_PASSWORD or a prompt."""
    from tracegraph.campaigns import service
    from tracegraph.security import esign
    from tracegraph.security.models import Principal
    with _db() as db, _errors():
        left = service.outstanding(db, campaign_id)
        if left:
            typer.echo(f"error: {len(left)} unit(s) outstanding; the recall cannot be terminated:", err=True)
            for o in left:
                typer.echo(f"{o.serial}\t{' '.join(o.sites)}")
            raise typer.Exit(1)
        signature = None
        if signer:
            password = os.environ.get("TRACEGRAPH_ESIGN_PASSWORD") or typer.prompt("password", hide_input=True)
            signature = esign.Signature(password=password, meaning=meaning)
        sig = esign.check(db, Principal(id=signer or ACTOR), signature)
        with esign.signed(sig):
            done = service.close(db, campaign_id, actor=signer or ACTOR, reason=reason)
    typer.echo(f"recall campaign {done.id} terminated")


@app.command("demo-seed")
def demo_seed(least: int = typer.Option(5, help="Smallest lot size to pick.")) -> None:
    """For `make demo`: a campaign in progress on a shipped lot of the loaded data."""
    from tracegraph.campaigns import service
    from tracegraph.campaigns.models import CampaignRequest, UnitReturn
    with _db() as db, _errors():
        seeded = [c for c in service.list_campaigns(db, limit=1000) if c.created_by == "demo"]
        if seeded:
            typer.echo(f"demo recall campaign {seeded[0].id} exists already")
            return
        rows = db.read("campaigns/demo_lot", least=least)
        if not rows:
            _fail("no shipped lot in the database: load data first (make demo-data, tracegraph load)")
        request = CampaignRequest(starts=[{"kind": "lot", "id": rows[0]["lot"]}], classification="II",
                                  type="removal", depth="user", reason="Demo: seal may leak under pressure",
                                  health_hazard="Temporary loss of therapy; no injuries reported")
        campaign = service.create(db, request, actor="demo")
        service.notify(db, campaign.id, actor="demo")
        found = service.notices(db, campaign.id)
        for n in found[: max(1, len(found) // 2)]:
            service.acknowledge(db, campaign.id, n.site, len(n.serials), "demo", actor="demo")
        if found and found[0].serials:
            service.record_units(db, campaign.id, [UnitReturn(serial=s) for s in found[0].serials[:3]], actor="demo")
        figures = service.status(db, campaign.id)
    typer.echo(f"demo recall campaign {campaign.id} on {rows[0]['lot']}: {figures.consignees} consignees, "
               f"{figures.units_in_scope} units in scope, {figures.units_outstanding} outstanding")
