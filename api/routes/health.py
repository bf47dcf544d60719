from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from api.deps import DB
from graph import schema

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """The process answers."""
    status: str = "ok"


class Readiness(BaseModel):
    """Whether the service can answer: Neo4j reachable and the schema applied."""
    status: str  # ok | unavailable
    neo4j: bool
    schema_applied: bool = Field(alias="schema", description="the constraints and indexes are in place")


@router.get("/healthz", summary="The process is up", response_model=Health)
async def healthz() -> Health:
    return Health()  # async: answering a constant needs no worker-thread hop


@router.get("/readyz", summary="Neo4j is reachable and the schema is applied", response_model=Readiness,
            responses={503: {"model": Readiness, "description": "Not ready: Neo4j unreachable or schema missing"}})
def readyz(db: DB):
    if not db.ping():
        return JSONResponse({"status": "unavailable", "neo4j": False, "schema": False}, status_code=503)
    applied = schema.is_applied(db)
    body = {"status": "ok" if applied else "unavailable", "neo4j": True, "schema": applied}
    return JSONResponse(body, status_code=200 if applied else 503)
