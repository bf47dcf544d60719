from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from api.auth import Principal, require
from api.deps import DB
from tracegraph.alerts import jobs as webhook_jobs
from tracegraph.jobs import service as jobs
from tracegraph.jobs.enums import Kind
from tracegraph.rules import catalog, service
from tracegraph.rules.models import RulesUpdate, RulesView, RunResult

RuleCode = StrEnum("RuleCode", {code: code for code in catalog.rules()})  # the packaged rules (cypher/rules)

router = APIRouter(prefix="/v1/rules", tags=["rules"], dependencies=[Depends(require("rules:read"))])


@router.get("", response_model=RulesView, summary="Every rule with its state and parameters, routing and webhooks")
def get_rules(db: DB) -> RulesView:
    return service.view(db)


@router.put("", response_model=RulesView, summary="Enable/disable rules, set parameters, routing and webhooks")
def put_rules(db: DB, body: RulesUpdate, principal: Principal = Depends(require("rules:write"))) -> RulesView:
    return service.update(db, body, principal=principal.id)


@router.post("/run", response_model=RunResult, summary="Full sweep: run the rules over all data and record alerts",
             responses={202: {"description": "background=true: the sweep is a job (body: jobID, location)"}})
def run_rules(db: DB, request: Request, principal: Principal = Depends(require("rules:write")),
              rule: Annotated[list[RuleCode] | None, Query(description="only these rule codes", max_length=50)] = None,
              dry_run: Annotated[bool, Query(description="report findings, record nothing")] = False,
              background: Annotated[bool, Query(description="run as a job in a worker; answer 202 at once")] = False):
    codes = [r.value for r in rule] if rule else None
    if background and not dry_run:
        job_id = jobs.submit(db, Kind.rules_sweep.value, {"rules": codes, "actor": principal.id,
                                                         "request_id": request.state.request_id})
        return JSONResponse({"jobID": job_id, "status": "queued", "location": f"/v1/jobs/{job_id}"},
                            status_code=202, headers={"Location": f"/v1/jobs/{job_id}"})
    result = service.sweep(db, codes, dry_run=dry_run, actor=principal.id)
    if not dry_run:
        webhook_jobs.enqueue_pending(db)  # sent by a worker, not in this request
    return result
