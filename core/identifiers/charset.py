"""GS1 character set 82 and the percent-escapes of EPC pure-identity URNs.

Hand-written because biip only embeds CSET 82 in its AI regexes, and the EPC
Tag Data Standard (TDS 2.x, section 6) escaping is not in biip at all.
"""
from __future__ import annotations

import re
import string

from core.identifiers.errors import IdentifierError

# GS1 General Specifications, figure 7.11-1 ("AI encodable character set 82").
CSET82 = frozenset(string.ascii_letters + string.digits + "!\"%&'()*+,-./:;<=>?_")

# TDS: these seven must be written as %-escapes in a URN; no other escape is allowed.
_URN_ESCAPES = {'"': "%22", "%": "%25", "&": "%26", "/": "%2F", "<": "%3C", ">": "%3E", "?": "%3F"}
_URN_UNESCAPES = {v: k for k, v in _URN_ESCAPES.items()}
_NEEDS_ESCAPE = re.compile("[" + re.escape("".join(_URN_ESCAPES)) + "]")


_NOT_CSET82 = re.compile("[^" + re.escape("".join(sorted(CSET82))) + "]")


def first_non_cset82(value: str) -> int:
    """Index of the first character outside CSET 82, or -1 when all are valid."""
    bad = _NOT_CSET82.search(value)
    return -1 if bad is None else bad.start()


def check_cset82(value: str, part: str, whole: str, max_len: int, min_len: int = 1) -> None:
    if not min_len <= len(value) <= max_len:
        if not value:
            raise IdentifierError(whole, part, "must not be empty")
        raise IdentifierError(whole, part, f"must be {min_len} to {max_len} characters, got {len(value)}")
    bad = first_non_cset82(value)
    if bad >= 0:
        raise IdentifierError(
            whole, part, f"character {value[bad]!r} at position {bad + 1} is not in the GS1 character set 82"
        )


def urn_escape(value: str) -> str:
    if not _NEEDS_ESCAPE.search(value):
        return value
    return "".join(_URN_ESCAPES.get(ch, ch) for ch in value)


def urn_unescape(component: str, part: str, urn: str) -> str:
    """Decode one URN component, rejecting raw characters the TDS requires escaped and unknown escapes."""
    if not _NEEDS_ESCAPE.search(component):  # no escape, nothing to refuse: the usual component, as it is
        return component
    out: list[str] = []
    i = 0
    while i < len(component):
        ch = component[i]
        if ch == "%":
            triplet = component[i:i + 3].upper()
            if triplet not in _URN_UNESCAPES:
                raise IdentifierError(
                    urn, part,
                    f"{component[i:i + 3]!r} is not an escape the EPC Tag Data Standard allows "
                    "(only %22 %25 %26 %2F %3C %3E %3F)",
                )
            out.append(_URN_UNESCAPES[triplet])
            i += 3
            continue
        if ch in _URN_ESCAPES:
            raise IdentifierError(urn, part, f"character {ch!r} must be written as {_URN_ESCAPES[ch]} in an EPC URN")
        out.append(ch)
        i += 1
    return "".join(out)
