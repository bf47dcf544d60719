"""Roles and what each may do: the table docs/security.md shows (generated from here,
and tests/test_auth_roles.py fails when the two differ).

`admin` holds every permission, including ones routes add later. A partner is bound
to a party and, on top of its permissions, sees only that party's serials.
"""
from __future__ import annotations

from tracegraph.security.enums import Role

ALL = "*"

# permission → what it allows (the doc prints this column).
PERMISSIONS: dict[str, str] = {
    "serials:read": "serial detail and timeline (internal fields)",
    "trace:read": "forward and backward traces",
    "genealogy:read": "genealogy: what went into what",
    "recalls:read": "recall scopes and their reports",
    "recalls:write": "open, change and close recalls",
    "notices:read": "recall notices (a partner: only its own)",
    "notices:respond": "acknowledge recall notices and record returned units (a partner: only its own)",
    "events:read": "read captured EPCIS events",
    "events:write": "capture EPCIS documents",
    "queries:read": "EPCIS queries, subscriptions and top-level resources (partners: their party's events only)",
    "queries:write": "create and delete named EPCIS queries and subscriptions",
    "capture:write": "import CSV and other non-EPCIS data",
    "master:read": "products, sites, parties and their history",
    "master:write": "change master data",
    "identifiers:read": "parse and convert identifiers",
    "quality:read": "data-quality configuration and findings",
    "quality:write": "change data-quality configuration",
    "rules:read": "binding and alert rules",
    "rules:write": "change binding and alert rules",
    "alerts:read": "alerts",
    "alerts:write": "acknowledge and close alerts (closing needs an e-signature)",
    "holds:read": "holds",
    "holds:write": "place and release holds (release needs an e-signature)",
    "investigations:read": "investigations, their evidence and timelines",
    "investigations:write": "open and work investigations: subjects, findings, root cause, evidence",
    "capa:read": "CAPAs, their actions and effectiveness checks",
    "capa:write": "create and work CAPAs (closing needs an e-signature)",
    "verify:read": "partner verification of a serial",
    "audit:read": "audit trail: list, verify, export",
    "users:read": "users and API keys",
    "users:write": "create users, issue and revoke API keys",
    "jobs:read": "durable jobs: status, attempts, errors",
    "metrics:read": "Prometheus metrics",
}

_READ_ALL = {p for p in PERMISSIONS if p.endswith(":read") and p not in ("users:read",)}

ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.admin: frozenset({ALL}),
    Role.recall_manager: frozenset(_READ_ALL - {"audit:read"} | {"recalls:write", "holds:write", "alerts:write",
                                                                 "notices:respond"}),
    Role.investigator: frozenset(_READ_ALL - {"audit:read"}),
    Role.quality: frozenset(_READ_ALL - {"audit:read"} | {"quality:write", "rules:write", "alerts:write",
                                                         "holds:write"}),
    Role.integrator: frozenset({"events:read", "events:write", "capture:write", "master:read", "master:write",
                                "identifiers:read", "verify:read", "queries:read", "queries:write"}),
    Role.partner: frozenset({"verify:read", "identifiers:read", "notices:read", "notices:respond", "queries:read",
                             "queries:write"}),
    Role.auditor: frozenset(_READ_ALL | {"users:read"}),
}
# Investigations and CAPA (issue 14): quality and investigators run them; a recall manager
# may open an investigation; partners get nothing.
ROLE_PERMISSIONS[Role.investigator] |= {"investigations:write", "capa:write"}
ROLE_PERMISSIONS[Role.quality] |= {"investigations:write", "capa:write"}
ROLE_PERMISSIONS[Role.recall_manager] |= {"investigations:write"}


def allows(roles: frozenset[str] | set[str], permission: str) -> bool:
    for name in roles:
        granted = ROLE_PERMISSIONS.get(Role(name)) if name in Role.__members__ else None
        if granted and (ALL in granted or permission in granted):
            return True
    return False


def markdown_table() -> str:
    """The role → permission table as Markdown (docs/security.md embeds it)."""
    roles = list(Role)
    lines = ["| permission | what it allows | " + " | ".join(r.value for r in roles) + " |",
             "|---|---|" + "---|" * len(roles)]
    for perm, what in PERMISSIONS.items():
        cells = ["✓" if (ALL in ROLE_PERMISSIONS[r] or perm in ROLE_PERMISSIONS[r]) else "" for r in roles]
        lines.append(f"| `{perm}` | {what} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
