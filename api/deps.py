"""FastAPI dependencies: the database, and identifiers read from the request."""
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from graph.db import Database
from tracegraph.identity import canonical_epc, canonical_epc_cached


async def get_db(request: Request) -> Database:
    # async: no worker-thread hop just to read app state
    return request.app.state.db


DB = Annotated[Database, Depends(get_db)]


def epc_of(db: Database, value: str, field: str = "id") -> str:
    return canonical_epc(db, value, field)


async def epc_of_async(db: Database, value: str, field: str = "id") -> str:
    """`epc_of` for async routes: on the event loop unless it needs a database read."""
    found = canonical_epc_cached(db, value, field)
    return found if found is not None else await run_in_threadpool(canonical_epc, db, value, field)
