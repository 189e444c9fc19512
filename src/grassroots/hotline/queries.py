"""Reads for the 12345 channel: orders already imported, the replies owed back."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import and_, func, or_, select
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


def handling_case(session: Session, case: Case) -> Case | None:
    """The case whose result answers the order: its own, or — merged into another (合并重复件)
    — the primary case, once that has ended. None: no reply is owed yet."""
    if case.outcome == "merged" and case.duplicate_of_id is not None:
        case = session.get_one(Case, case.duplicate_of_id)
    return case if case.state in REPLIED_STATES else None


def _answered(
    session: Session, rows: Sequence[tuple[HotlineOrder, Case]]
) -> list[tuple[HotlineOrder, Case]]:
    found = [(order, handling_case(session, case)) for order, case in rows]
    return [(order, case) for order, case in found if case is not None]


def replies_since(session: Session, since: datetime) -> Sequence[tuple[HotlineOrder, Case]]:
    """Orders whose case ended (resolved, closed, rejected, terminated) at or after `since`,
    each with the case that answers it (handling_case)."""
    ended = func.coalesce(Case.resolved_at, Case.closed_at)
    query = (
        select(HotlineOrder, Case)
        .join(Case, Case.id == HotlineOrder.case_id)
        .where(Case.state.in_(REPLIED_STATES), ended >= since)
        .order_by(ended, HotlineOrder.order_no)
    )
    return _answered(session, session.execute(query).tuples().all())


def replies_owed(session: Session, limit: int = 500) -> list[tuple[HotlineOrder, Case]]:
    """Orders whose reply the outbox may not hold yet: the case ended and was acted on since
    the reply was last queued (or never was), and every order whose case was merged into another
    (its primary's changes do not touch it; an unchanged reply is not sent again)."""
    changed = or_(
        HotlineOrder.reply_case_version.is_(None), Case.version != HotlineOrder.reply_case_version
    )
    owed = or_(and_(Case.state.in_(REPLIED_STATES), changed), Case.outcome == "merged")
    query = (
        select(HotlineOrder, Case)
        .join(Case, Case.id == HotlineOrder.case_id)
        .where(owed)
        .order_by(HotlineOrder.id)
        .limit(limit)
    )
    return _answered(session, session.execute(query).tuples().all())


def replies_answered_by(session: Session, case_ids: list[int]) -> list[tuple[HotlineOrder, Case]]:
    """The orders whose reply the cases `case_ids` give (their own orders, and those of the
    cases merged into them), each with that case, when it has ended (handling_case)."""
    merged = select(Case.id).where(Case.duplicate_of_id.in_(case_ids), Case.outcome == "merged")
    query = (
        select(HotlineOrder, Case)
        .join(Case, Case.id == HotlineOrder.case_id)
        .where(or_(HotlineOrder.case_id.in_(case_ids), HotlineOrder.case_id.in_(merged)))
        .order_by(HotlineOrder.id)
    )
    return _answered(session, session.execute(query).tuples().all())
