"""Reads for the 12345 channel: orders already imported, the replies owed back."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases.models import Case
from grassroots.dictionary.models import Category
from grassroots.hotline.models import HotlineOrder

HOTLINE_USER = "hotline:12345"
REPLIED_STATES = ("resolved", "closed", "rejected", "terminated")


def imported_numbers(session: Session, numbers: Iterable[str]) -> set[str]:
    wanted = list(numbers)
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found |= set(
            session.scalars(select(HotlineOrder.order_no).where(HotlineOrder.order_no.in_(chunk)))
        )
    return found


def hotline_user(session: Session) -> User | None:
    return session.scalar(select(User).where(User.username == HOTLINE_USER))


def active_categories(session: Session) -> Sequence[Category]:
    return session.scalars(select(Category).where(Category.active)).all()


def category_for(categories: Sequence[Category], demand_type: str) -> str | None:
    """The category an order's 诉求类型 names: its code or name, else the longest category
    name inside it (邻里纠纷 → 邻里), else 其他 (other) when active."""
    for c in categories:
        if demand_type in (c.code, c.name):
            return c.code
    inside = [c for c in categories if c.name and c.name in demand_type]
    if inside:
        return max(inside, key=lambda c: len(c.name)).code
    return "other" if any(c.code == "other" for c in categories) else None


def replies_since(session: Session, since: datetime) -> Sequence[tuple[HotlineOrder, Case]]:
    """Orders whose case ended (resolved, closed, rejected, terminated) at or after `since`."""
    ended = func.coalesce(Case.resolved_at, Case.closed_at)
    query = (
        select(HotlineOrder, Case)
        .join(Case, Case.id == HotlineOrder.case_id)
        .where(Case.state.in_(REPLIED_STATES), ended >= since)
        .order_by(ended, HotlineOrder.order_no)
    )
    return [(order, case) for order, case in session.execute(query).all()]
