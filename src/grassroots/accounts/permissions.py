"""The one permission table: role → what it may do. Every route names one permission
(deps.requires); case transitions additionally check the roles in the transition table.

Three-way separation (三权分立): system_admin configures and manages users (accounts of
business roles: create, disable, enable, reset passwords) but cannot read or change the audit
log nor grant roles; security_admin grants roles and manages security (second factors, tokens)
but handles no cases; auditor only reads the audit log. No administrator role holds a case
permission, and no role holds audit.read together with users.manage or roles.grant.
"""

from __future__ import annotations

from collections.abc import Iterable

from grassroots.accounts.models import Role

# roster.manage: the township roster of grid workers (队伍建设; grassroots.roster), for the
# staff who manage them, never for grid workers themselves nor the public.
# Every person who logs in may see and manage their own account (me, password, own tokens).
SELF = {"account.self"}
STAFF_READ = {"geo.read", "case.read", "stats.read", "report.read"} | SELF
# Leads (线索): read what one may see, act (verify) on what is assigned; coordinators (centre
# staff, leaders) register and route them and may reveal an informant, with a reason.
LEAD_VERIFIER = {"lead.read", "lead.act"}
LEAD_COORDINATOR = LEAD_VERIFIER | {"lead.register", "lead.reveal"}

ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.grid_worker: frozenset(STAFF_READ | LEAD_VERIFIER | {"case.register", "case.act"}),
    Role.mediator: frozenset(
        STAFF_READ | LEAD_VERIFIER | {"case.register", "case.act", "party.reveal"}
    ),
    Role.centre_staff: frozenset(
        STAFF_READ
        | LEAD_COORDINATOR
        | {
            "case.register",
            "case.act",
            "party.reveal",
            "report.write",
            "roster.manage",
            "ledger.import",
        }
    ),
    Role.unit_handler: frozenset(STAFF_READ | LEAD_VERIFIER | {"case.act"}),
    Role.leader: frozenset(
        STAFF_READ
        | LEAD_COORDINATOR
        | {"case.act", "party.reveal", "report.write", "roster.manage"}
    ),
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


def granted(role: str, scopes: Iterable[str] | None = None) -> frozenset[str]:
    """THE permission check: what a request may do is its user's role's permissions,
    intersected with the bearer token's scopes (None: a session or the CLI, the role alone).

    Every route (deps.requires), page (the `permissions` template variable, the menu) and
    action that decides by permission reads this, through Authenticated.permissions; nothing
    reads ROLE_PERMISSIONS for authorisation by the role alone.
    """
    try:
        allowed = ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return frozenset()
    return allowed if scopes is None else allowed & frozenset(scopes)
