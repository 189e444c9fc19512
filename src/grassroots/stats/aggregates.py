"""Counters read from the maintained aggregate tables (what dashboards and reports use)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Table, and_, func, literal, select
from sqlalchemy.orm import Session

from grassroots.cases.tallies.contribution import ALL_CATEGORIES
from grassroots.cases.tallies.models import (
    COHORT_COUNTERS,
    DUE_COUNTERS,
    FIGURE_COUNTERS,
    CohortAggregate,
    DueAggregate,
    FigureAggregate,
    OpenAggregate,
    OpenMonthAggregate,
    OverdueDayAggregate,
    OverdueMonthAggregate,
)
from grassroots.rounds.models import ROUND_COUNTERS, RoundAggregate
from grassroots.stats.periods import Period
from grassroots.stats.scope import Scope, group_column

Counters = dict[str, int]
ByGroup = dict[str, Counters]  # group code ("" = the whole scope) → counters

COHORT: Table = CohortAggregate.__table__  # type: ignore[assignment]
DUE: Table = DueAggregate.__table__  # type: ignore[assignment]
OPEN: Table = OpenAggregate.__table__  # type: ignore[assignment]
OPEN_MONTH: Table = OpenMonthAggregate.__table__  # type: ignore[assignment]
FIGURES: Table = FigureAggregate.__table__  # type: ignore[assignment]
ROUNDS: Table = RoundAggregate.__table__  # type: ignore[assignment]
OVERDUE_DAY: Table = OverdueDayAggregate.__table__  # type: ignore[assignment]
OVERDUE_MONTH: Table = OverdueMonthAggregate.__table__  # type: ignore[assignment]


def _grouped(
    session: Session,
    table: Table,
    names: tuple[str, ...],
    scope: Scope,
    where: list[ColumnElement[bool]],
    group_by: str | None,
) -> ByGroup:
    group = table.c[group_by] if group_by else None
    key = group if group is not None else literal("")
    sums = [func.coalesce(func.sum(table.c[n]), 0).label(n) for n in names]
    if group_by == "category_code":  # one row per real category, never the roll-up
        place = and_(scope.condition(table), table.c.category_code != ALL_CATEGORIES)
    else:
        place = scope.condition(table, rollup=ALL_CATEGORIES)
    stmt = select(key.label("g"), *sums).where(place, scope.places(table, group_by), *where)
    if group is not None:
        stmt = stmt.group_by(group)
    out: ByGroup = {}
    for row in session.execute(stmt):
        m = row._mapping
        out[str(m["g"])] = {n: int(m[n]) for n in names}
    return out


def counters(
    session: Session,
    scope: Scope,
    period: Period,
    today: date,
    by_child: bool = False,
    group_by: str | None = None,
    with_overdue: bool = True,
) -> ByGroup:
    """All counters for the scope and period, summed, or per child jurisdiction (by_child),
    or per value of a key column (group_by: township_code / village_code / category_code)."""
    if by_child and scope.child_level:
        group_by = group_column(scope.child_level)
    in_months = [COHORT.c.month >= period.first, COHORT.c.month < period.after]
    cohort = _grouped(session, COHORT, COHORT_COUNTERS, scope, in_months, group_by)
    due = _passed_due(session, scope, period, today, group_by)
    if not with_overdue:  # 超期数 is "as of today", the same for every period
        return merge(cohort, due)
    now = overdue_now(session, scope, today, group_by)
    if period.end >= today:
        return merge(cohort, due, now)
    # A past period: 超期 at its last day; today's count beside it (docs/metrics.md).
    today_count = {g: {"overdue_today": c["overdue"]} for g, c in now.items()}
    return merge(cohort, due, overdue_at(session, scope, period.end, group_by), today_count)


def overdue_now(session: Session, scope: Scope, today: date, group_by: str | None) -> ByGroup:
    """超期数 as of today: open, running cases whose resolve deadline is before today."""
    this_month = today.replace(day=1)
    names = ("open_count",)
    months = _grouped(
        session, OPEN_MONTH, names, scope, [OPEN_MONTH.c.month < this_month], group_by
    )
    days = _grouped(
        session,
        OPEN,
        names,
        scope,
        [OPEN.c.due_day >= this_month, OPEN.c.due_day < today],
        group_by,
    )
    return _summed(months, days, "open_count")


def _summed(a: ByGroup, b: ByGroup, name: str) -> ByGroup:
    overdue: ByGroup = {}
    for part in (a, b):
        for g, c in part.items():
            overdue.setdefault(g, {"overdue": 0})["overdue"] += c[name]
    return overdue


def overdue_at(session: Session, scope: Scope, day: date, group_by: str | None) -> ByGroup:
    """超期 at the end of `day`: the overdue spells' changes (+1 first overdue day, −1 the
    day it ended; grassroots.cases.tallies.overdue) summed over the days up to `day` —
    whole months from stats_overdue_month, `day`'s own month from stats_overdue_day."""
    first = day.replace(day=1)
    names = ("net",)
    months = _grouped(
        session, OVERDUE_MONTH, names, scope, [OVERDUE_MONTH.c.month < first], group_by
    )
    in_month = [OVERDUE_DAY.c.day >= first, OVERDUE_DAY.c.day <= day]
    days = _grouped(session, OVERDUE_DAY, names, scope, in_month, group_by)
    return _summed(months, days, "net")


def _passed_due(
    session: Session, scope: Scope, period: Period, today: date, group_by: str | None
) -> ByGroup:
    """按期办结率's counters over the deadlines of the period that are settled by today:
    the period's due rows less the running (not suspended) open cases whose deadline is
    today or later (not yet missed). Resolved early counts as met. docs/metrics.md."""
    due_in = [DUE.c.month >= period.first, DUE.c.month < period.after]
    due = _grouped(session, DUE, DUE_COUNTERS, scope, due_in, group_by)
    not_yet = [OPEN.c.due_day >= max(today, period.first), OPEN.c.due_day < period.after]
    for g, c in _grouped(session, OPEN, ("open_count",), scope, not_yet, group_by).items():
        due[g]["due"] -= c["open_count"]
    return due


def merge(*parts: ByGroup) -> ByGroup:
    out: ByGroup = {}
    for part in parts:
        for g, c in part.items():
            out.setdefault(g, {}).update(c)
    return out


def figure_counters(
    session: Session, scope: Scope, period: Period, group_by: str | None = None
) -> ByGroup:
    """stats_figures summed over the scope (all categories) and the period's registration
    months, or per value of a key column (group_by: kind / source_code / township_code …)."""
    place = Scope(scope.level, scope.code, kind=scope.kind).condition(FIGURES)
    group = FIGURES.c[group_by] if group_by else literal("")
    sums = [func.coalesce(func.sum(FIGURES.c[n]), 0).label(n) for n in FIGURE_COUNTERS]
    stmt = select(group.label("g"), *sums).where(
        place, FIGURES.c.month >= period.first, FIGURES.c.month < period.after
    )
    if group_by:
        stmt = stmt.group_by(group)
    out: ByGroup = {}
    for row in session.execute(stmt):
        m = row._mapping
        out[str(m["g"])] = {n: int(m[n]) for n in FIGURE_COUNTERS}
    return out


def round_counters(
    session: Session, scope: Scope, period: Period, group_by: str | None = None
) -> ByGroup:
    """排查走访: rounds held and matters found (and those registered as cases) in the
    period's months, from stats_rounds (grassroots.rounds.actions.count_round keeps it), or
    per value of a key column (group_by: township_code / village_code / grid_code)."""
    place = Scope(scope.level, scope.code).condition(ROUNDS)
    group = ROUNDS.c[group_by] if group_by else literal("")
    sums = [func.coalesce(func.sum(ROUNDS.c[n]), 0).label(n) for n in ROUND_COUNTERS]
    stmt = select(group.label("g"), *sums).where(
        place, ROUNDS.c.month >= period.first, ROUNDS.c.month < period.after
    )
    if group_by:
        stmt = stmt.group_by(group)
    out: ByGroup = {}
    for row in session.execute(stmt):
        m = row._mapping
        out[str(m["g"])] = {n: int(m[n]) for n in ROUND_COUNTERS}
    return out
