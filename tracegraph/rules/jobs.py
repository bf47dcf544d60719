"""The `rules.sweep` job: a full sweep in a worker (POST /v1/rules/run?background=true).
A sweep re-run after its worker died finds the same alerts open and changes nothing more."""
from __future__ import annotations

from tracegraph.jobs.enums import Kind
from tracegraph.jobs.registry import Context, register
from tracegraph.rules import service


@register(Kind.rules_sweep.value)
def sweep(ctx: Context) -> dict:
    from tracegraph.alerts import jobs as webhook_jobs
    result = service.sweep(ctx.db, ctx.payload.get("rules"), actor=ctx.payload.get("actor", "system"),
                           request_id=ctx.payload.get("request_id"))
    webhook_jobs.enqueue_pending(ctx.db)
    return {"findings": len(result.findings), "opened": result.opened, "updated": result.updated,
            "cleared": result.cleared}
