"""The one permission table: role → what it may do. Every route names one permission
(deps.requires); case transitions additionally check the roles in the transition table.

Three-way separation (三权分立): system_admin configures and manages users but cannot read
the audit log; security_admin grants roles but handles no cases; auditor only reads audit.
"""

from __future__ import annotations

from grassroots.accounts.models import Role

STAFF_READ = {"geo.read", "case.read", "stats.read", "report.read"}

ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.grid_worker: frozenset(STAFF_READ | {"case.register", "case.act"}),
    Role.mediator: frozenset(STAFF_READ | {"case.register", "case.act", "party.reveal"}),
    Role.centre_staff: frozenset(
        STAFF_READ | {"case.register", "case.act", "party.reveal", "report.write"}
    ),
    Role.unit_handler: frozenset(STAFF_READ | {"case.act"}),
    Role.leader: frozenset(STAFF_READ | {"case.act", "party.reveal", "report.write"}),
    Role.system_admin: frozenset({"geo.read", "geo.write", "config.write", "users.manage"}),
    Role.security_admin: frozenset({"users.read", "roles.grant", "security.manage"}),
    Role.auditor: frozenset({"audit.read"}),
    Role.system: frozenset(),
}

ALL_PERMISSIONS: frozenset[str] = frozenset().union(*ROLE_PERMISSIONS.values())


def has_permission(role: str, permission: str) -> bool:
    try:
        return permission in ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return False
