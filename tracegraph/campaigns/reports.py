"""Regulator reports from a campaign, as data (JSON), PDF and XLSX. Field names follow the
regulations' wording: 21 CFR 806.10(c) (correction or removal report), 21 CFR 7.53(b)
(recall status report) and EU MDR article 89 with MDCG's FSCA form (FSCA summary)."""
from __future__ import annotations

import io
from collections import defaultdict
from datetime import UTC, datetime

from openpyxl import Workbook

from graph.db import Database
from graph.db import native as _native
from tracegraph.campaigns import render, service
from tracegraph.campaigns.enums import NoticeState, Report

TITLES = {Report.cfr806: "21 CFR 806 report of correction or removal",
          Report.status: "Recall status report (21 CFR 7.53)",
          Report.fsca: "EU MDR field safety corrective action (FSCA) summary"}


def _firm(db: Database, parties: list[str]) -> dict:
    rows = db.lookup("campaigns/parties", epcs=parties)
    maker = next((r for r in rows if r["role"] == "manufacturer"), rows[0] if rows else {})
    address = ", ".join(x for x in (maker.get("street"), maker.get("postal_code"), maker.get("city"),
                                    maker.get("country_code")) if x)
    return {"name": maker.get("name"), "pgln": maker.get("epc"), "address": address or None,
            "telephone_or_contact": maker.get("contact")}


def _distribution(db: Database, notices) -> dict[str, tuple[str | None, str | None]]:
    """Site -> (first, last) date affected units were shipped there."""
    serials = sorted({epc for n in notices for epc in n.serials})
    trips = service._shipments(db, serials)
    seen: dict[str, list[int]] = defaultdict(list)
    for ts in trips.values():
        for t in ts:
            for d in t.destinations:
                seen[d].append(t.ms)

    def day(ms: int) -> str:
        return datetime.fromtimestamp(ms / 1000, UTC).date().isoformat()
    return {site: (day(min(v)), day(max(v))) for site, v in seen.items()}


def _devices(db: Database, notices) -> list[dict]:
    per: dict[tuple, int] = defaultdict(int)
    for n in notices:
        for line in n.lines:
            per[(line.gtin, line.lot)] += line.quantity
    gtins = sorted({g for g, _ in per if g})
    names = {r["gtin"]: r for r in db.lookup("recall/products", gtins=gtins)}
    lots = {r["lot"]: r for r in db.lookup("campaigns/lot_dates", epcs=sorted({lot for _, lot in per if lot}))}
    out = []
    for (gtin, lot), n in sorted(per.items(), key=lambda x: (x[0][0] or "", x[0][1] or "")):
        dates = lots.get(lot, {})
        made = _native(dates.get("manufactured"))
        out.append({"udi_di_gtin": gtin, "brand_name": (names.get(gtin) or {}).get("name"),
                    "product_line": (names.get(gtin) or {}).get("product_line"), "lot_number": lot,
                    "number_of_devices": n, "date_of_manufacture": made.date().isoformat() if made else None,
                    "expiration_date": str(_native(dates.get("expiry"))) if dates.get("expiry") else None})
    return out


def cfr806(db: Database, campaign_id: str) -> dict:
    c = service.get(db, campaign_id)
    notices = service.notices(db, campaign_id)
    dist = _distribution(db, notices)
    units = sorted({epc for n in notices for epc in n.serials})
    return {
        "report": "21 CFR 806.10 report of correction or removal",
        "recall_campaign": c.id,
        "correction_or_removal": "removal" if c.type.value == "removal" else "correction",
        "recall_classification": c.classification.value,
        "manufacturer_or_importer": _firm(db, c.firm),
        "registration_number": None,
        "device": _devices(db, notices),
        "description_of_the_event_and_corrective_or_removal_action": {
            "event": c.reason, "action_taken_and_expected_to_be_taken": c.action},
        "illness_or_injuries": c.health_hazard,
        "total_number_of_devices_subject_to_the_correction_or_removal": len(units),
        "serial_numbers": units,
        "consignees": [{"name": n.party_name or n.site_name, "party": n.party, "site": n.site,
                        "address": n.address, "telephone_or_contact": n.contact,
                        "date_distributed_first": dist.get(n.site, (None, None))[0],
                        "date_distributed_last": dist.get(n.site, (None, None))[1],
                        "number_of_devices_distributed": n.quantity} for n in notices],
        "communications": [{"recipient": n.party_name or n.site_name or n.site, "site": n.site,
                            "date": n.issued.isoformat() if n.issued else None} for n in notices],
        "required_information_not_available": [("registration_number: FDA establishment registration is not "
                                                "kept in tracegraph master data")],
    }


def status_report(db: Database, campaign_id: str) -> dict:
    c = service.get(db, campaign_id)
    notices = service.notices(db, campaign_id)
    st = service.status(db, campaign_id)
    checks = service.checks(db, campaign_id)
    deliveries = service.deliveries(db, campaign_id)
    methods: dict[str, set[str]] = defaultdict(set)
    for d in deliveries:
        if d["state"] == "delivered":
            methods[d["site"]].add(d["channel"])
    issued = [n for n in notices if n.state != NoticeState.draft]
    return {
        "report": "recall status report (21 CFR 7.53)",
        "recall_campaign": c.id, "recall_classification": c.classification.value, "state": c.state.value,
        "number_of_consignees_notified": st.consignees_notified,
        "date_and_method_of_notification": [{"site": n.site, "date": n.issued.isoformat() if n.issued else None,
                                             "method": ", ".join(sorted(methods[n.site])) or "notice issued"}
                                            for n in issued],
        "number_of_consignees_responding": st.consignees_responded,
        "quantity_of_products_on_hand_at_the_time_it_was_received": sum(
            n.units_on_hand or 0 for n in notices if n.state == NoticeState.acknowledged),
        "number_of_consignees_that_did_not_respond": st.consignees_not_responded,
        "nonresponding_consignees": [n.site for n in issued if n.state != NoticeState.acknowledged],
        "number_of_products_returned_or_corrected_by_each_consignee": [
            {"site": r.site, "name": r.site_name, "region": r.region, "units": r.units_in_scope,
             "returned": r.units_returned, "corrected": r.units_corrected, "destroyed": r.units_destroyed,
             "justified": r.units_justified, "outstanding": r.units_outstanding} for r in st.by_consignee],
        "quantity_of_products_accounted_for": st.units_in_scope - st.units_outstanding,
        "units_in_scope": st.units_in_scope, "units_outstanding": st.units_outstanding,
        "number_and_results_of_effectiveness_checks": [
            {"check": k.id, "level": k.level.value, "sampled": len(k.sample), "pending": k.pending,
             "failures": len(k.failures), "result": "failed" if k.failed else ("pending" if k.pending else "passed")}
            for k in checks],
        "estimated_time_frame_for_completion": None,
    }


def fsca(db: Database, campaign_id: str) -> dict:
    c = service.get(db, campaign_id)
    notices = service.notices(db, campaign_id)
    first = min((n.issued for n in notices if n.issued), default=None)
    return {
        "report": "field safety corrective action (EU MDR article 89)",
        "manufacturer": _firm(db, c.firm),
        "fsca_reference_number": c.id,
        "type_of_action": c.type.value,
        "classification": c.classification.value,
        "description_of_the_problem_and_reason_for_the_fsca": c.reason,
        "risk_to_health": c.health_hazard,
        "affected_devices": _devices(db, notices),
        "number_of_affected_devices": len({epc for n in notices for epc in n.serials}),
        "member_states_and_countries_affected": sorted({n.country_code for n in notices if n.country_code}),
        "field_safety_notice": {"title": render.title(c), "date": first.isoformat() if first else None,
                                "reason": c.reason, "actions_to_be_taken_by_the_user": c.action,
                                "recipients": len(notices)},
        "actions_to_be_taken_by_the_user": c.action,
    }


BUILD = {Report.cfr806: cfr806, Report.status: status_report, Report.fsca: fsca}


def build(db: Database, campaign_id: str, kind: Report) -> dict:
    return BUILD[kind](db, campaign_id)


def pdf(kind: Report, data: dict) -> bytes:
    return render.report_pdf(TITLES[kind], data)


def xlsx(data: dict) -> bytes:
    """Scalar fields on a summary sheet; each list of records on its own sheet."""
    wb = Workbook()
    summary = wb.active
    summary.title = "summary"
    for key, value in data.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            sheet = wb.create_sheet(key[:31])
            header = list(value[0])
            sheet.append(header)
            for row in value:
                sheet.append([render._cell(row.get(h)) for h in header])
        else:
            summary.append([key, render._cell(value)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
