from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import DB
from graph import schema

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is up")
def healthz() -> dict:
    return {"status": "ok"}


@router.get("/readyz", summary="Neo4j is reachable and the schema is applied")
def readyz(db: DB):
    if not db.ping():
        return JSONResponse({"status": "unavailable", "neo4j": False, "schema": False}, status_code=503)
    applied = schema.is_applied(db)
    body = {"status": "ok" if applied else "unavailable", "neo4j": True, "schema": applied}
    return JSONResponse(body, status_code=200 if applied else 503)
