"""FastAPI dependencies: the database, and identifiers read from the request."""
from typing import Annotated

from fastapi import Depends, Request

from graph.db import Database
from tracegraph.identity import canonical_epc


async def get_db(request: Request) -> Database:
    # async: no worker-thread hop just to read app state
    return request.app.state.db


DB = Annotated[Database, Depends(get_db)]


def epc_of(db: Database, value: str, field: str = "id") -> str:
    return canonical_epc(db, value, field)
