from enum import StrEnum


class Role(StrEnum):
    admin = "admin"
    recall_manager = "recall_manager"
    investigator = "investigator"
    quality = "quality"
    integrator = "integrator"
    partner = "partner"
    auditor = "auditor"


class Meaning(StrEnum):
    """What an electronic signature means (21 CFR 11.50)."""
    approved = "approved"
    reviewed = "reviewed"
    responsible = "responsible"
