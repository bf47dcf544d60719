from enum import Enum


class StartKind(str, Enum):
    lot = "lot"
    serial = "serial"
    container = "container"
    party = "party"  # a supplier: what its sites produced in the window
    site = "site"  # a site or production line: what was produced there in the window
    product = "product"  # a GTIN: what was made in the window


class Bucket(str, Enum):
    """Where an affected serial is, as a recall manager counts them."""
    in_stock = "in_stock"  # at one of our own sites (or a site without master data)
    in_transit = "in_transit"
    at_distributor = "at_distributor"
    at_hospital = "at_hospital"
    used_decommissioned = "used_decommissioned"
    returned = "returned"


class ExportFormat(str, Enum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"
    consignees = "consignees"  # CSV shaped for recall notices
