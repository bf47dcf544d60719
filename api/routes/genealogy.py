from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response

from api.auth import require
from api.deps import DB, epc_of
from tracegraph.genealogy import service
from tracegraph.genealogy.models import Direction, Genealogy, GraphView

router = APIRouter(prefix="/v1/genealogy", tags=["genealogy"], dependencies=[Depends(require("genealogy:read"))])

Id = Annotated[str, Path(min_length=1, max_length=512,
                         description="EPC URN (sgtin, lgtin class, sscc) or Digital Link")]
DirectionQ = Annotated[Direction, Query(description="backward: made from; forward: went into")]
Depth = Annotated[int, Query(ge=1, le=32, description="links to follow")]
MaxNodes = Annotated[int, Query(ge=1, le=10_000, description="stop (truncated=true) beyond this many nodes")]


@router.get("/{id:path}/graph", response_model=GraphView, summary="Nodes and edges for a graph view")
def graph(db: DB, id: Id, direction: DirectionQ = "backward", depth: Depth = 6, max_nodes: MaxNodes = 500):
    return service.graph(db, epc_of(db, id), direction, depth, max_nodes)


@router.get("/{id:path}", response_model=Genealogy,
            summary="The derivation tree: components, lots, suppliers, sites and lines, inspections, certificates")
def genealogy(db: DB, id: Id, direction: DirectionQ = "backward", depth: Depth = 6,
              max_nodes: MaxNodes = 5000) -> Response:
    # the model's JSON, written straight from the data (a model per node cost more than the walk)
    return Response(service.genealogy_json(db, epc_of(db, id), direction, depth, max_nodes),
                    media_type="application/json")
