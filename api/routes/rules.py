from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.auth import Principal, require
from api.deps import DB
from tracegraph.alerts import webhooks
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


@router.post("/run", response_model=RunResult, summary="Full sweep: run the rules over all data and record alerts")
def run_rules(db: DB, principal: Principal = Depends(require("rules:write")),
              rule: Annotated[list[RuleCode] | None, Query(description="only these rule codes", max_length=50)] = None,
              dry_run: Annotated[bool, Query(description="report findings, record nothing")] = False) -> RunResult:
    result = service.sweep(db, [r.value for r in rule] if rule else None, dry_run=dry_run, actor=principal.id)
    if not dry_run:
        webhooks.deliver_pending(db)
    return result
