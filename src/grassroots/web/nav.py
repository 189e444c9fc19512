"""The navigation bar: the pages a role may open, in the order staff use them."""

from __future__ import annotations

from dataclasses import dataclass

from grassroots.accounts.models import User
from grassroots.accounts.permissions import has_permission


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str  # msgid; translated in the template
    href: str
    permissions: tuple[str, ...]  # any one of them shows the item


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("dashboard", "Dashboard", "/", ("stats.read",)),
    NavItem("cases", "Cases", "/cases", ("case.read",)),
    NavItem("register", "Register", "/cases/new", ("case.register",)),
    NavItem("map", "Grid map", "/map", ("geo.read",)),
    NavItem("admin", "Administration", "/admin", ("config.write", "users.manage", "users.read")),
    NavItem("audit", "Audit", "/audit", ("audit.read",)),
)


def nav_for(user: User | None) -> list[NavItem]:
    if user is None:
        return []
    return [i for i in NAV_ITEMS if any(has_permission(user.role, p) for p in i.permissions)]


def home_for(user: User) -> str:
    """Where a user lands after login: the first page their role may open."""
    items = nav_for(user)
    return items[0].href if items else "/account"
