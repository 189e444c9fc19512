"""Lists of cases: the filters, the sorts and keyset pagination, over the case scope."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select, true
from sqlalchemy.orm import Session, selectinload

from grassroots.accounts.models import User
from grassroots.bounds import MAX_MOMENT, MIN_MOMENT, fits_int
from grassroots.calendar.today import CHINA_TZ
from grassroots.cases.models import OPEN_STATES, Case
from grassroots.cases.queries import case_scope, located_in
from grassroots.cases.queues.queries import QUEUES, by_due_date, my_work, viewer
from grassroots.cases.tallies.contribution import MERGED, RESOLVED_LEVELS
from grassroots.cases.tallies.figures import SATISFIED
from grassroots.errors import Problem
from grassroots.geo.labels import place_label
from grassroots.geo.models import Jurisdiction
from grassroots.geo.queries import names_of


@dataclass(frozen=True)
class CaseFilter:
    state: Sequence[str] = ()
    category: str | None = None
    kind: str | None = None
    source: str | None = None
    level: str | None = None
    jurisdiction: Jurisdiction | None = None
    unit_id: int | None = None
    light: str | None = None
    overdue: bool | None = None
    violence_risk: bool | None = None
    registered_from: date | None = None
    registered_to: date | None = None  # inclusive
    text: str | None = None
    open: bool | None = None  # 在办: True keeps the open states, False the others
    figure: str | None = None  # the cases behind a statistics figure (FIGURES)


def _counted() -> ColumnElement[bool]:
    """The cases the statistics count: not spam, not merged into another (counted once, as
    their primary; grassroots.cases.tallies.contribution)."""
    return and_(Case.spam.is_(False), func.coalesce(Case.outcome, "") != MERGED)


def _overdue_now(today: date) -> ColumnElement[bool]:
    """超期数 as of today: open, the clock running (not 中止), resolve_due passed."""
    running = [s for s in sorted(OPEN_STATES) if s != "suspended"]
    return and_(Case.state.in_(running), Case.resolve_due < today)


def _resolved_at(level: str) -> Callable[[date], ColumnElement[bool]]:
    """化解 by `level` (the level that held the case when it was resolved)."""
    return lambda _today: and_(Case.outcome == "resolved", Case.resolved_level == level)


# The cases behind each figure of the statistics (docs/metrics.md), as the 统计看板's cards
# open them: with the period's registration dates (registered_from/to) and its place,
# category and kind, the list counts exactly what the card shows.
FIGURES: dict[str, Callable[[date], ColumnElement[bool]]] = {
    "registered": lambda _today: true(),
    "accepted": lambda _today: Case.accepted_at.is_not(None),
    "resolved": lambda _today: Case.outcome == "resolved",
    "satisfied": lambda _today: Case.satisfaction.in_(sorted(SATISFIED)),
    "violence_risk": lambda _today: Case.violence_risk.is_(True),
    "violence_resolved": lambda _today: and_(
        Case.violence_risk.is_(True), Case.outcome == "resolved"
    ),
    "overdue": _overdue_now,
    # 就地化解率's numerator and the level shares (contribution.cohort_counters resolved_<level>)
    **{f"resolved_{level}": _resolved_at(level) for level in RESOLVED_LEVELS},
}


def _light_condition(light: str, today: date) -> ColumnElement[bool]:
    due, yellow = Case.clock_due_on, Case.clock_yellow_on
    if light == "red":
        return due < today
    if light == "yellow":
        return (due >= today) & (yellow <= today)
    return (due >= today) & (yellow > today)


def filter_conditions(f: CaseFilter, today: date) -> list[ColumnElement[bool]]:
    c: list[ColumnElement[bool]] = []
    simple = {
        Case.category_code: f.category, Case.kind: f.kind, Case.source_code: f.source,
        Case.level: f.level, Case.unit_id: f.unit_id, Case.violence_risk: f.violence_risk,
    }  # fmt: skip
    c += [column == value for column, value in simple.items() if value is not None]
    if f.state:
        c.append(Case.state.in_(f.state))
    if f.open is not None:
        live = Case.state.in_(sorted(OPEN_STATES))
        c.append(live if f.open else ~live)
    if f.jurisdiction is not None:
        j = f.jurisdiction
        c.append(located_in(j.level, j.code, j.prefix))
    if f.light is not None:
        c.append(_light_condition(f.light, today))
    if f.overdue is not None:
        late = Case.clock_due_on < today
        c.append(late if f.overdue else or_(Case.clock_due_on.is_(None), ~late))
    if f.registered_from is not None:
        c.append(Case.registered_at >= _day_start(f.registered_from))
    if f.registered_to is not None:
        c.append(Case.registered_at < _day_start(date.fromordinal(f.registered_to.toordinal() + 1)))
    if f.figure is not None:
        c += [_counted(), FIGURES[f.figure](today)]
    if f.text:
        pattern = f"%{f.text.replace('%', '').replace('_', '')}%"
        c.append(or_(Case.title.ilike(pattern), Case.description.ilike(pattern)))
    return c


def _day_start(d: date) -> datetime:
    return datetime.combine(d, time.min, tzinfo=CHINA_TZ)


SORTS = {
    "-registered_at": (Case.registered_at, True),
    "registered_at": (Case.registered_at, False),
    "-code": (Case.code, True),
    "code": (Case.code, False),
    # The queues' order (cases.queues.queries.by_due_date): the running clock's due date,
    # most overdue first, cases without a clock last; the keyset is (no due date, due, id).
    "due": (Case.clock_due_on, False),
}


def encode_cursor(sort: str, case: Case) -> str:
    column, _ = SORTS[sort]
    value = getattr(case, column.key)
    raw = json.dumps([sort, value.isoformat() if hasattr(value, "isoformat") else value, case.id])
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _cursor_parts(sort: str, cursor: str) -> tuple[Any, int]:
    """[sort, value, id] as encode_cursor wrote it, or ValueError: any other shape (objects,
    lists, nested values, ids an INTEGER column cannot hold, a time without its zone)."""
    parts = json.loads(base64.urlsafe_b64decode(cursor.encode("ascii")))
    if not isinstance(parts, list) or len(parts) != 3:
        raise ValueError("not a cursor")
    got_sort, value, case_id = parts
    if got_sort != sort or not fits_int(case_id, minimum=1):
        raise ValueError("not a cursor of this sort")
    if sort == "due":
        return (None if value is None else date.fromisoformat(value)), case_id
    if not isinstance(value, str):
        raise ValueError("not a cursor of this sort")
    if sort.lstrip("-") == "registered_at":
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None or not MIN_MOMENT <= moment <= MAX_MOMENT:
            raise ValueError("not a time of a case")
        return moment, case_id
    return value, case_id


def _decode_cursor(sort: str, cursor: str) -> tuple[Any, int]:
    try:
        return _cursor_parts(sort, cursor)
    except (ValueError, TypeError, RecursionError) as exc:
        message = "分页游标无效 / invalid cursor"
        raise Problem(
            422, "invalid_cursor", message, errors=[{"field": "cursor", "message": message}]
        ) from exc


def list_cases(
    session: Session, user: User, f: CaseFilter, today: date, *, sort: str | None = None,
    cursor: str | None = None, limit: int = 50, queue: str | None = None,
) -> tuple[list[Case], str | None]:  # fmt: skip
    """One page of the cases `user` may see (in `queue`, a name of cases.queues.queries.QUEUES,
    if given), and the cursor of the next page (or None). Without a sort: newest first, or
    by due date (most overdue first) in a queue."""
    sort = sort or ("due" if queue else "-registered_at")
    stmt: Select[Case] = select(Case).where(case_scope(user), *filter_conditions(f, today))
    if queue is not None:
        stmt = stmt.where(QUEUES[queue](viewer(session, user), today))
    if cursor:
        stmt = stmt.where(_after(sort, *_decode_cursor(sort, cursor)))
    rows = list(session.scalars(stmt.order_by(*_order(sort)).limit(limit + 1).options(*_loaded())))
    next_cursor = encode_cursor(sort, rows[limit - 1]) if len(rows) > limit else None
    return rows[:limit], next_cursor


def _order(sort: str) -> tuple[Any, ...]:
    if sort == "due":
        return by_due_date()
    column, desc = SORTS[sort]
    return (column.desc(), Case.id.desc()) if desc else (column.asc(), Case.id.asc())


def _after(sort: str, value: Any, case_id: int) -> ColumnElement[bool]:
    """SQL: the case comes after the cursor's (value, id) in the sort's order."""
    if sort == "due":
        due = Case.clock_due_on
        if value is None:  # among the cases without a clock (last): by id only
            return and_(due.is_(None), Case.id > case_id)
        return or_(due.is_(None), due > value, and_(due == value, Case.id > case_id))
    column, desc = SORTS[sort]
    if desc:
        return or_(column < value, and_(column == value, Case.id < case_id))
    return or_(column > value, and_(column == value, Case.id > case_id))


def count_cases(
    session: Session, user: User, f: CaseFilter, today: date, queue: str | None = None
) -> int:
    """How many cases the list shows over all its pages (same scope, filters and queue)."""
    stmt = select(func.count(Case.id)).where(case_scope(user), *filter_conditions(f, today))
    if queue is not None:
        stmt = stmt.where(QUEUES[queue](viewer(session, user), today))
    return int(session.scalar(stmt) or 0)


def _loaded() -> Any:
    return (selectinload(Case.holder), selectinload(Case.unit))


def open_by_grid(session: Session, user: User, today: date) -> dict[str, dict[str, int]]:
    """grid code → {"open": n, "overdue": m} over the user's open cases. Suspended (中止)
    cases are open but never overdue: their clock is stopped (docs/metrics.md 超期数)."""
    late = and_(Case.state != "suspended", Case.resolve_due.is_not(None), Case.resolve_due < today)
    overdue = case((late, 1), else_=0)
    stmt = (
        select(Case.grid_code, func.count(), func.sum(overdue))
        .where(case_scope(user), Case.state.in_(OPEN_STATES), Case.grid_code.is_not(None))
        .group_by(Case.grid_code)
    )
    return {g: {"open": int(n), "overdue": int(o or 0)} for g, n, o in session.execute(stmt)}


def awaiting_follow_up(session: Session, user: User) -> int:
    stmt = select(func.count()).where(case_scope(user), Case.state == "resolved")
    return int(session.scalar(stmt) or 0)


def my_tasks(session: Session, user: User, limit: int = 10) -> Sequence[Case]:
    """Cases waiting for this user, soonest due first: every work queue of theirs
    (cases.queues.queries.my_work — to accept, to route, assigned, for their unit, shared,
    to follow up, to close)."""
    stmt = (
        select(Case)
        .where(case_scope(user), my_work(viewer(session, user)))
        .order_by(*by_due_date())
        .limit(limit)
    )
    return session.scalars(stmt).all()


def case_places(session: Session, rows: Sequence[Case]) -> dict[int, str]:
    """case id → where it lies, by name: "青石镇 / 杨柳村 / 第3网格" (one query for all rows)."""
    paths = {c.id: (c.township_code, c.village_code, c.grid_code) for c in rows}
    names = names_of(session, (code for path in paths.values() for code in path))
    return {case_id: place_label(names, *path) for case_id, path in paths.items()}
