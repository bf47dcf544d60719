"""CBV 2.0 vocabulary: every accepted spelling of a bizStep, disposition or
source/destination type reduces to its bare word (`shipping`, `in_transit`)."""
import re

_PREFIXES = {
    "bizStep": ("urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-"),
    "disposition": ("urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-"),
    "sdt": ("urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-"),
    "btt": ("urn:epcglobal:cbv:btt:", "https://ref.gs1.org/cbv/BTT-"),
}
_BARE = re.compile(r"^[a-z_]+$")


def bare(value: str | None, kind: str) -> str | None:
    """The bare CBV word for a standard value; anything else (a custom URI) as given."""
    if value is None:
        return None
    for prefix in _PREFIXES[kind]:
        if value.startswith(prefix):
            return value[len(prefix):]
    return value


def is_standard_word(value: str) -> bool:
    return bool(_BARE.match(value))
