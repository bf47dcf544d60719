from enum import Enum


class HoldKind(str, Enum):
    lot = "lot"
    serial = "serial"
    container = "container"
    site = "site"
    product = "product"
    recall_scope = "recall_scope"


class Policy(str, Enum):
    block = "block"  # shipping a held item is refused
    flag = "flag"  # shipping is written and raises SHIP_ON_HOLD


SHIP_STEPS = frozenset({"shipping", "dispatching"})
