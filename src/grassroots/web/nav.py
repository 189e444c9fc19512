"""The navigation bar: the pages a request may open, in the order staff use them."""

from __future__ import annotations

from dataclasses import dataclass

from grassroots.i18n import N_


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str  # msgid; translated in the template
    href: str
    permissions: tuple[str, ...]  # any one of them shows the item
    badge: str = ""  # an htmx fragment's URL the layout loads beside the label (a count)


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("dashboard", N_("Dashboard"), "/", ("stats.read",)),
    NavItem("cases", N_("Cases"), "/cases", ("case.read",)),
    NavItem("register", N_("Register"), "/cases/new", ("case.register",)),
    NavItem("rounds", N_("Grid rounds"), "/rounds", ("case.read",)),
    NavItem("joint", N_("Joint cases"), "/joint", ("case.act",)),
    NavItem("border", N_("Border work"), "/border/meetings", ("case.act",)),
    NavItem("leads", N_("Leads"), "/leads", ("lead.read",)),
    NavItem("map", N_("Grid map"), "/map", ("geo.read",)),
    NavItem("roster", N_("Grid workers"), "/roster", ("roster.manage",)),
    NavItem("reports", N_("Reports"), "/reports", ("report.read",)),
    NavItem(
        "notifications",
        N_("Notifications"),
        "/notifications",
        ("case.read",),
        badge="/notifications/badge",
    ),
    NavItem("admin", N_("Administration"), "/admin", ("config.write",)),
    NavItem("users", N_("Users and roles"), "/admin/users", ("users.read",)),
    NavItem("audit", N_("Audit"), "/audit", ("audit.read",)),
)


def nav_for(permissions: frozenset[str]) -> list[NavItem]:
    """The items for what the request may do (accounts.permissions.granted: role ∩ token)."""
    return [i for i in NAV_ITEMS if any(p in permissions for p in i.permissions)]


# Where each role starts its day: staff on the dashboard (工作台), the system administrator
# on 管理, the security administrator on users and roles, the auditor on 审计.
LANDING_ORDER: tuple[str, ...] = ("dashboard", "admin", "users", "audit")


def home_for(permissions: frozenset[str]) -> str:
    """Where a user lands after login (and the brand link leads): a page they may open."""
    items = {i.key: i for i in nav_for(permissions)}
    for key in LANDING_ORDER:
        if key in items:
            return items[key].href
    return next(iter(items.values())).href if items else "/"


ROLE_LABELS: dict[str, str] = {
    "grid_worker": N_("Grid worker"),
    "mediator": N_("Mediator"),
    "centre_staff": N_("Centre staff"),
    "unit_handler": N_("Unit handler"),
    "leader": N_("Leader"),
    "system_admin": N_("System administrator"),
    "security_admin": N_("Security administrator"),
    "auditor": N_("Auditor"),
    "system": N_("System"),
}


def role_label(role: str) -> str:
    """The msgid naming a role (translated by the template)."""
    return ROLE_LABELS.get(role, role)


def active_item(items: list[NavItem], path: str) -> str:
    """The key of the item whose page the path is on (longest matching link wins)."""
    matching = [
        i for i in items if path == i.href or (i.href != "/" and path.startswith(i.href + "/"))
    ]
    return max(matching, key=lambda i: len(i.href)).key if matching else ""
