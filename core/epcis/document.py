"""An EPCIS document as the domain receives it, and why one was refused."""
from __future__ import annotations

from dataclasses import dataclass, field

from core.epcis.models import Event


class LoadError(ValueError):
    """Why a document was refused: the file, the event index (if any), the field."""

    def __init__(self, source: str, field: str, reason: str, index: int | None = None):
        self.source, self.field, self.reason, self.index = source, field, reason, index
        where = f"event {index}: " if index is not None else ""
        super().__init__(f"{source}: {where}{field}: {reason}")


@dataclass
class Document:
    source: str
    digest: str
    events: list[Event]
    parties: list[tuple[str, dict]] = field(default_factory=list)
    sites: list[tuple[str, dict]] = field(default_factory=list)
    products: list[tuple[str, dict]] = field(default_factory=list)  # (gtin, attributes)
    prefixes: set[str] = field(default_factory=set)
    context: dict[str, str] = field(default_factory=dict)  # @context namespaces (extension prefixes)
    # some identifier was converted with the company prefixes known (a Digital Link): parsed
    # knowing more prefixes, the document could differ
    prefix_bound: bool = False
