"""A small, hand-checked history used by several tests (see tests/test_trace.py)."""
from tests.epcis import (
    commission_lot,
    decommission,
    lgtin,
    observe,
    pack,
    receive,
    sgln,
    sgtin,
    ship,
    sscc,
    transform,
    unpack,
)

A, B, C, R = lgtin("A"), lgtin("B"), lgtin("C"), lgtin("R", "700001")
SUB1 = lgtin("SUB1", "822222")
FG1 = lgtin("FG1", "812345")
S1, S2 = sgtin("S1", "822222"), sgtin("S2", "822222")
D1, D2, D3 = sgtin("D1"), sgtin("D2"), sgtin("D3")
CASE, PALLET = sscc(1), sscc(2)
SITE = {n: sgln(n) for n in range(1, 5)}


def events() -> list[dict]:
    """The history, with the same event IDs on every call."""
    history = [
        commission_lot(A, 0, site=1),
        commission_lot(R, 0.5, site=1),
        transform(1, input_lots=[R], output_lots=[B], lot_number="B", site=1),
        commission_lot(C, 2, site=1),
        transform(5, input_lots=[A], outputs=[S1, S2], lot_number="SUB1"),
        transform(10, inputs=[S1], input_lots=[B], outputs=[D1], lot_number="FG1"),
        transform(10.5, inputs=[S2], input_lots=[B], outputs=[D2], lot_number="FG1"),
        transform(11, input_lots=[C], outputs=[D3], lot_number="FG1"),
        observe([D3], 12, site=2),
        pack(CASE, [D1, D2], 20, site=2),
        pack(PALLET, [CASE], 21, site=2),
        ship([PALLET], 22, site=2, destination=3),
        receive([PALLET], 30, site=3),
        unpack(PALLET, [CASE], 31, site=3),
        ship([CASE], 40, site=3, destination=4),
        receive([CASE], 50, site=4),
        unpack(CASE, [], 51, site=4),
        decommission([D2], 60, site=4),
    ]
    for i, ev in enumerate(history):
        ev["eventID"] = f"urn:uuid:5ce0a410-0000-4000-8000-{i:012d}"
    return history
