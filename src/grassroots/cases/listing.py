"""Reads of the case list page and its export: filters, keyset paging, the light in SQL.

Always within the user's scope (grassroots.web.queries.case_visibility).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases.models import Case
from grassroots.stats.calendar_days import local_midnight_utc
from grassroots.web.queries import case_visibility

PAGE_SIZE = 25
EXPORT_LIMIT = 10_000


@dataclass(frozen=True)
class CaseFilters:
    state: str = ""
    category: str = ""
    level: str = ""
    jurisdiction: str = ""  # any code: the subtree below it
    light: str = ""  # green / yellow / red
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""
    grid: str = ""

    def query_items(self) -> list[tuple[str, str]]:
        """The non-empty filters as query parameters (for paging and export links)."""
        out = []
        for f in fields(self):
            value = getattr(self, f.name)
            if value not in ("", None):
                out.append((f.name, value.isoformat() if isinstance(value, date) else value))
        return out


def _light_condition(light: str, today: date) -> ColumnElement[bool]:
    if light == "red":
        return Case.clock_due_on < today
    if light == "yellow":
        return and_(Case.clock_due_on >= today, Case.clock_yellow_on <= today)
    not_yet_yellow = or_(Case.clock_yellow_on.is_(None), Case.clock_yellow_on > today)
    return and_(Case.clock_due_on >= today, not_yet_yellow)


def _jurisdiction_condition(code: str) -> ColumnElement[bool]:
    """The subtree below any code: grid (15 digits), village, township, county or above."""
    if len(code) == 15:
        return Case.grid_code == code
    if not code.endswith("000"):
        return Case.village_code == code
    if not code.endswith("000000"):
        return Case.township_code == code
    prefix = code[:6]
    while len(prefix) > 2 and prefix.endswith("00"):
        prefix = prefix[:-2]
    return Case.county_code.startswith(prefix, autoescape=True)


def filtered(user: User, f: CaseFilters, today: date) -> Select[Case]:
    stmt = select(Case).where(case_visibility(user))
    simple = {"state": Case.state, "category": Case.category_code, "level": Case.level}
    for name, column in simple.items():
        if getattr(f, name):
            stmt = stmt.where(column == getattr(f, name))
    if f.jurisdiction:
        stmt = stmt.where(_jurisdiction_condition(f.jurisdiction))
    if f.grid:
        stmt = stmt.where(Case.grid_code == f.grid)
    if f.light in ("green", "yellow", "red"):
        stmt = stmt.where(_light_condition(f.light, today))
    if f.date_from:
        stmt = stmt.where(Case.registered_at >= local_midnight_utc(f.date_from))
    if f.date_to:
        stmt = stmt.where(Case.registered_at < local_midnight_utc(f.date_to + timedelta(days=1)))
    if f.q:
        text = f.q.strip()
        stmt = stmt.where(
            or_(
                Case.code.contains(text, autoescape=True),
                Case.title.contains(text, autoescape=True),
                Case.description.contains(text, autoescape=True),
            )
        )
    return stmt


def case_page(
    session: Session, user: User, f: CaseFilters, today: date, after: int | None
) -> tuple[Sequence[Case], int | None]:
    """One page, newest first; keyset on id. Returns the rows and the id to continue after."""
    stmt = filtered(user, f, today)
    if after is not None:
        stmt = stmt.where(Case.id < after)
    rows = session.scalars(stmt.order_by(Case.id.desc()).limit(PAGE_SIZE + 1)).all()
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return rows, (rows[-1].id if more and rows else None)


def export_rows(session: Session, user: User, f: CaseFilters, today: date) -> Sequence[Case]:
    stmt = filtered(user, f, today).order_by(Case.id.desc()).limit(EXPORT_LIMIT)
    return session.scalars(stmt).all()
