"""Identifiers of traced objects: EPC URNs, GS1 Digital Links, GS1 element strings
and HIBCC UDIs, with conversions between them (pure Python, no database).

biip parses the GS1 side (each AI value with its check digits and dates, FNC1
element strings); EPC URNs, company-prefix splitting, the Digital Link URI grammar,
AI pairing rules and HIBCC are written here, each module says why.
"""
from core.identifiers.checkdigit import gs1_check_digit, verify_gs1_check_digit
from core.identifiers.convert import (
    gs1_elements,
    parse_identifier,
    to_digital_link,
    to_element_string,
    to_epc_urn,
)
from core.identifiers.epc import EpcId, parse_epc_urn
from core.identifiers.errors import IdentifierError
from core.identifiers.hibcc import HibccUdi, hibcc_check_character, parse_hibcc

__all__ = [
    "EpcId",
    "HibccUdi",
    "IdentifierError",
    "gs1_check_digit",
    "gs1_elements",
    "hibcc_check_character",
    "parse_epc_urn",
    "parse_hibcc",
    "parse_identifier",
    "to_digital_link",
    "to_element_string",
    "to_epc_urn",
    "verify_gs1_check_digit",
]
