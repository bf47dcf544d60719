"""GS1 mod-10 check digits (GTIN, SSCC, GLN, GRAI, GSRN, ...).

The arithmetic is biip's `gs1_standard_check_digit`; this module only adds input
checks (biip accepts any Unicode decimal digit) and IdentifierError reporting.
"""
from __future__ import annotations

import re
from functools import lru_cache

from biip.checksums import gs1_standard_check_digit

from core.identifiers.errors import IdentifierError

_DIGITS = re.compile(r"[0-9]+")


def gs1_check_digit(digits: str) -> str:
    """Check digit for `digits` (the key without its check digit), e.g. 12 digits of a GTIN-13."""
    if not isinstance(digits, str) or not _DIGITS.fullmatch(digits):
        raise IdentifierError(digits, "digits", "a GS1 check digit is computed over one or more ASCII digits")
    return _check_digit(digits)


@lru_cache(maxsize=1 << 16)  # a load computes the same GTINs' digits again and again
def _check_digit(digits: str) -> str:
    return str(gs1_standard_check_digit(digits))


def verify_gs1_check_digit(value: str, part: str = "check_digit", *, whole: str | None = None) -> None:
    """Raise unless the last digit of `value` is the GS1 check digit of the others.

    `whole` is the full input to show in the error when `value` is only a piece of it.
    """
    shown = whole if whole is not None else value
    if not isinstance(value, str) or not _DIGITS.fullmatch(value):
        raise IdentifierError(shown, part, f"{value!r} must be ASCII digits only")
    if len(value) < 2:
        raise IdentifierError(shown, part, "too short to carry a check digit")
    expected = gs1_check_digit(value[:-1])
    if value[-1] != expected:
        raise IdentifierError(
            shown, "check_digit", f"the check digit of {value} should be {expected}, not {value[-1]}"
        )
