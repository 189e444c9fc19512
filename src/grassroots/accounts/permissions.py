"""The one permission table: role → what it may do. Every route names one permission
(deps.requires); case transitions additionally check the roles in the transition table.

Three-way separation (三权分立): system_admin configures and manages users (accounts of
business roles: create, disable, enable, reset passwords) but cannot read or change the audit
log nor grant roles; security_admin grants roles and manages security (second factors, tokens)
but handles no cases; auditor only reads the audit log. No administrator role holds a case
permission, and no role holds audit.read together with users.manage or roles.grant.
"""

from __future__ import annotations

from grassroots.accounts.models import Role

# Every person who logs in may see and manage their own account (me, password, own tokens).
SELF = {"account.self"}
STAFF_READ = {"geo.read", "case.read", "stats.read", "report.read"} | SELF

ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.grid_worker: frozenset(STAFF_READ | {"case.register", "case.act"}),
    Role.mediator: frozenset(STAFF_READ | {"case.register", "case.act", "party.reveal"}),
    Role.centre_staff: frozenset(
        STAFF_READ | {"case.register", "case.act", "party.reveal", "report.write"}
    ),
    Role.unit_handler: frozenset(STAFF_READ | {"case.act"}),
    Role.leader: frozenset(STAFF_READ | {"case.act", "party.reveal", "report.write"}),
    Role.system_admin: frozenset(
        SELF | {"geo.read", "geo.write", "config.write", "users.read", "users.manage"}
    ),
    Role.security_admin: frozenset(SELF | {"users.read", "roles.grant", "security.manage"}),
    Role.auditor: frozenset(SELF | {"audit.read"}),
    Role.system: frozenset(),
}

ALL_PERMISSIONS: frozenset[str] = frozenset().union(*ROLE_PERMISSIONS.values())

ADMIN_ROLES: frozenset[Role] = frozenset({Role.system_admin, Role.security_admin, Role.auditor})
# Roles a person can hold (the `system` user never logs in).
HUMAN_ROLES: tuple[Role, ...] = tuple(r for r in Role if r is not Role.system)
# Roles the system admin may give a new account; administrator roles only via roles.grant.
BUSINESS_ROLES: frozenset[Role] = frozenset(HUMAN_ROLES) - ADMIN_ROLES


def has_permission(role: str, permission: str) -> bool:
    try:
        return permission in ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return False


def permissions_of(role: str) -> frozenset[str]:
    try:
        return ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return frozenset()
