"""EPCIS header master data (vocabularies) → party, site and product rows."""
from __future__ import annotations

import json
import re

from core.epcis.models import Vocabulary

PARTY = "urn:epcglobal:epcis:vtype:Party"
LOCATIONS = ("urn:epcglobal:epcis:vtype:BusinessLocation", "urn:epcglobal:epcis:vtype:ReadPoint")
EPC_CLASS = "urn:epcglobal:epcis:vtype:EPCClass"

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")
# Attributes whose values are identifiers of other master data.
REFERENCES = {"owner", "parent_site", "manufacturer"}


def attribute_name(attribute_id: str) -> str:
    """`urn:epcglobal:cbv:mda#streetAddressOne` → `street_address_one`."""
    local = re.split(r"[#/:]", attribute_id)[-1]
    return _CAMEL.sub("_", local).lower()


def _scalar(value: object) -> object:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return json.dumps(value, sort_keys=True)


def attributes(element) -> dict:
    return {attribute_name(a.id): _scalar(a.attribute) for a in element.attributes}


def split(vocabularies: list[Vocabulary]) -> dict[str, list[tuple[str, dict]]]:
    """Group vocabulary elements by what they describe: parties, sites, products."""
    out: dict[str, list[tuple[str, dict]]] = {"parties": [], "sites": [], "products": []}
    for vocabulary in vocabularies:
        if vocabulary.type == PARTY:
            kind = "parties"
        elif vocabulary.type in LOCATIONS:
            kind = "sites"
        elif vocabulary.type == EPC_CLASS:
            kind = "products"
        else:
            continue
        out[kind].extend((element.id, attributes(element)) for element in vocabulary.vocabularyElementList)
    return out
