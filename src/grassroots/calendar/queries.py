"""Reads of the working-day calendar and its administrator entries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.calendar.models import CalendarDay, CalendarYear
from grassroots.calendar.schedule.hooks import Change, hooks
from grassroots.calendar.schemas import (
    CalendarOut,
    CalendarStatusOut,
    DayIn,
    DayOut,
    DeadlineMoveOut,
    SchedulePreviewOut,
    YearScheduleOut,
)
from grassroots.calendar.workdays import load_calendar, package_knows
from grassroots.errors import Problem

MAX_RANGE_DAYS = 732  # two years per request


def calendar_range(session: Session, first: date, last: date) -> CalendarOut:
    if last < first:
        raise Problem(422, "bad_range", "结束日期早于开始日期 / end is before start")
    if (last - first).days >= MAX_RANGE_DAYS:
        raise Problem(422, "range_too_long", f"一次最多查询 {MAX_RANGE_DAYS} 天 / range too long")
    cal = load_calendar(session)
    days = cal.days(first, last)
    return CalendarOut(
        first=first,
        last=last,
        days=[
            DayOut(day=d.day, kind=d.kind, working=d.working, name=d.name, source=d.source)
            for d in days
        ],
        warnings=cal.warnings(range(first.year, last.year + 1)),
        working_days=sum(d.working for d in days),
    )


def calendar_status(session: Session, today: date) -> CalendarStatusOut:
    cal = load_calendar(session)
    package_years = [y for y in range(1990, today.year + 3) if package_knows(y)]
    return CalendarStatusOut(
        package_years=package_years,
        admin_years=list(session.scalars(select(CalendarYear.year).order_by(CalendarYear.year))),
        provisional_years=[y for y in (today.year, today.year + 1) if cal.is_provisional(y)],
        warnings=cal.warnings([today.year, today.year + 1]),
    )


def year_entries(session: Session, year: int) -> Sequence[CalendarDay]:
    return session.scalars(
        select(CalendarDay)
        .where(CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))
        .order_by(CalendarDay.day)
    ).all()


def year_schedule(session: Session, year: int) -> YearScheduleOut:
    row = session.get(CalendarYear, year)
    cal = load_calendar(session)
    days = [
        DayIn(day=d.day, is_working=d.is_working, name=d.name) for d in year_entries(session, year)
    ]
    return YearScheduleOut(
        year=year,
        notice=row.notice if row else "",
        days=days,
        provisional=cal.is_provisional(year),
        warnings=cal.warnings([year]),
    )


def schedule_preview(session: Session, change: Change, viewer: User) -> SchedulePreviewOut:
    """The moves the registered hooks would make for `change`; nothing is written."""
    found = [m for hook in hooks() for m in hook.preview(session, change, viewer)]
    shown = [
        DeadlineMoveOut(case_code=m.case_code, deadline=m.deadline, old=m.old, new=m.new)
        for m in found
        if m.case_code
    ]
    return SchedulePreviewOut(
        year=change.year, moved=len(found), hidden=len(found) - len(shown), moves=shown
    )
