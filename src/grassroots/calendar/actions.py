"""Writes to the holiday schedule (administrators only).

Each do_* owns one transaction and writes its audit row inside it.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.calendar.models import CalendarDay, CalendarYear
from grassroots.calendar.schedule.hooks import Change, hooks
from grassroots.calendar.schemas import DayIn
from grassroots.calendar.workdays import load_calendar
from grassroots.db import transaction
from grassroots.errors import Problem

FIRST_YEAR, LAST_YEAR = 1990, 2200


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Problem(422, "bad_year", f"年份须在 {FIRST_YEAR}–{LAST_YEAR} 之间 / bad year")


def _check_days(year: int, days: list[DayIn]) -> None:
    errors = []
    seen: set[date] = set()
    for i, d in enumerate(days):
        if d.day.year != year:
            errors.append({"field": f"days.{i}.day", "message": f"不在 {year} 年 / not in {year}"})
        if d.day in seen:
            errors.append({"field": f"days.{i}.day", "message": "日期重复 / duplicate day"})
        seen.add(d.day)
    if errors:
        raise Problem(422, "bad_schedule", "节假日安排有误 / invalid schedule", errors=errors)


def schedule_change(session: Session, year: int, days: list[DayIn]) -> Change:
    """The calendar now and as it would be with `days` as `year`'s schedule (checked)."""
    _check_year(year)
    _check_days(year, days)
    old = load_calendar(session)
    return Change(year, old, old.with_year(year, {d.day: (d.is_working, d.name) for d in days}))


def do_set_year_schedule(
    session: Session, year: int, notice: str, days: list[DayIn], *, actor: User
) -> CalendarYear:
    """Enter (or replace) a year's official schedule: its holidays and make-up working days.
    The year then counts as known; its entries override the chinesecalendar package.
    The registered hooks move what depends on it (open cases' deadlines), in the same
    transaction, with their own audit rows."""
    with transaction(session):
        change = schedule_change(session, year, days)
        session.execute(
            delete(CalendarDay).where(
                CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31)
            )
        )
        row = session.get(CalendarYear, year) or CalendarYear(year=year)
        row.notice, row.entered_by_id = notice, actor.id
        session.add(row)
        session.add_all(
            CalendarDay(day=d.day, is_working=d.is_working, name=d.name, entered_by_id=actor.id)
            for d in days
        )
        moved = _apply_hooks(session, change, actor)
        record_audit(
            session,
            actor=actor,
            action="calendar.year.set",
            object_type="calendar_year",
            object_id=year,
            details={"notice": notice, "days": len(days), "deadlines_moved": moved},
        )
    return row


def day_change(session: Session, day: date, entry: tuple[bool, str] | None) -> Change:
    """The calendar now and as it would be with one day's entry set (or removed)."""
    _check_year(day.year)
    old = load_calendar(session)
    return Change(day.year, old, old.with_day(day, entry))


def _apply_hooks(session: Session, change: Change, actor: User) -> int:
    """Move what depends on the calendar (open cases' deadlines); the number moved."""
    return sum(hook.apply(session, change, actor) for hook in hooks())


def do_set_calendar_day(session: Session, entry: DayIn, *, actor: User) -> CalendarDay:
    """Declare or correct one day (overrides the package; does not make its year known).
    Open cases' deadlines follow the corrected day, as for a whole year's schedule."""
    with transaction(session):
        change = day_change(session, entry.day, (entry.is_working, entry.name))
        row = session.get(CalendarDay, entry.day) or CalendarDay(day=entry.day)
        row.is_working, row.name, row.entered_by_id = entry.is_working, entry.name, actor.id
        session.add(row)
        moved = _apply_hooks(session, change, actor)
        record_audit(
            session,
            actor=actor,
            action="calendar.day.set",
            object_type="calendar_day",
            object_id=entry.day.isoformat(),
            details={"is_working": entry.is_working, "name": entry.name, "deadlines_moved": moved},
        )
    return row


def do_delete_calendar_day(session: Session, day: date, *, actor: User) -> None:
    with transaction(session):
        row = session.get(CalendarDay, day)
        if row is None:
            raise Problem(404, "not_found", "该日期没有录入项 / no entry for that day")
        change = day_change(session, day, None)
        session.delete(row)
        moved = _apply_hooks(session, change, actor)
        record_audit(
            session,
            actor=actor,
            action="calendar.day.delete",
            object_type="calendar_day",
            object_id=day.isoformat(),
            details={"deadlines_moved": moved},
        )
