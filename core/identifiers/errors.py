"""The one exception type of the identifiers package."""
from __future__ import annotations

_LABELS = {
    "uri": "URI",
    "gtin": "GTIN",
    "sscc": "SSCC",
    "gln": "GLN",
    "grai": "GRAI",
    "giai": "GIAI",
    "lic": "labeler identification code (LIC)",
}


def _label(part: str) -> str:
    return _LABELS.get(part, part.replace("_", " "))


class IdentifierError(ValueError):
    """An identifier that cannot be read or converted.

    `value` is the input (or the offending piece of it), `part` names what is wrong
    (e.g. "check_digit", "company_prefix", "serial", "scheme", "gtin", "uri"),
    `reason` says why in a few words.
    """

    def __init__(self, value: object, part: str, reason: str):
        self.value = value if isinstance(value, str) else repr(value)
        self.part = part
        self.reason = reason.rstrip(".")
        super().__init__(self.value, part, self.reason)

    def __str__(self) -> str:
        shown = self.value if len(self.value) <= 120 else self.value[:117] + "..."
        return f"Invalid {_label(self.part)} in {shown!r}: {self.reason}."

    def __repr__(self) -> str:
        return f"IdentifierError(value={self.value!r}, part={self.part!r}, reason={self.reason!r})"
