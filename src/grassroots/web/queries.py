"""Reads the pages need that are about the UI itself: the dictionaries offered in forms.

Protected objects are still fetched only through their domain's access_* functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases.models import OPEN_STATES, Case
from grassroots.cases.queries import DictionaryRow, case_scope, categories, sources
from grassroots.geo.models import Unit


def active_categories(session: Session) -> list[DictionaryRow]:
    return [c for c in categories(session) if c.active]


def active_sources(session: Session) -> list[DictionaryRow]:
    return [s for s in sources(session) if s.active]


def case_visibility(user: User) -> ColumnElement[bool]:
    """The cases a user may see: the case domain's one scope."""
    return case_scope(user)


def open_by_grid(session: Session, user: User, today: date) -> dict[str, dict[str, int]]:
    """grid code → {"open": n, "overdue": m} over the user's open cases."""
    overdue = case((and_(Case.resolve_due.is_not(None), Case.resolve_due < today), 1), else_=0)
    stmt = (
        select(Case.grid_code, func.count(), func.sum(overdue))
        .where(case_visibility(user), Case.state.in_(OPEN_STATES), Case.grid_code.is_not(None))
        .group_by(Case.grid_code)
    )
    return {g: {"open": int(n), "overdue": int(o or 0)} for g, n, o in session.execute(stmt)}


def awaiting_follow_up(session: Session, user: User) -> int:
    stmt = select(func.count()).where(case_visibility(user), Case.state == "resolved")
    return int(session.scalar(stmt) or 0)


def my_tasks(session: Session, user: User, limit: int = 10) -> Sequence[Case]:
    """Cases waiting for this user: assigned to them and open, or resolved cases they
    registered that wait for the follow-up; for centre staff, cases registered in their
    jurisdiction that wait to be accepted."""
    mine = and_(Case.assignee_id == user.id, Case.state.in_(OPEN_STATES))
    follow = and_(Case.registered_by_id == user.id, Case.state == "resolved")
    waiting = [mine, follow]
    if user.role == "centre_staff" and user.jurisdiction_id is not None:
        waiting.append(
            and_(Case.state == "registered", Case.holder_jurisdiction_id == user.jurisdiction_id)
        )
    stmt = (
        select(Case)
        .where(case_visibility(user), or_(*waiting))
        .order_by(Case.resolve_due.is_(None), Case.resolve_due, Case.id)
        .limit(limit)
    )
    return session.scalars(stmt).all()


def units_at(session: Session, jurisdiction_id: int) -> Sequence[Unit]:
    """Active units attached to one jurisdiction (where a case held there can be routed)."""
    stmt = select(Unit).where(Unit.jurisdiction_id == jurisdiction_id, Unit.active)
    return session.scalars(stmt.order_by(Unit.code)).all()


def mediators_at(session: Session, jurisdiction_id: int) -> Sequence[User]:
    stmt = select(User).where(
        User.jurisdiction_id == jurisdiction_id, User.role == "mediator", User.is_active
    )
    return session.scalars(stmt.order_by(User.username)).all()


def display_names(session: Session, ids: set[int]) -> dict[int, str]:
    rows = session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    return {i: n for i, n in rows}
