"""JSON routes of the working-day calendar: days, status, the administrators' schedule."""

from __future__ import annotations

import logging
from datetime import date

from fastapi import APIRouter, Query, Response

from grassroots.accounts.models import User
from grassroots.bounds import Day, Year
from grassroots.calendar import actions, queries
from grassroots.calendar.schemas import (
    CalendarOut,
    CalendarStatusOut,
    DayIn,
    SchedulePreviewOut,
    YearScheduleIn,
    YearScheduleOut,
)
from grassroots.calendar.today import china_today
from grassroots.deps import DbSession, requires
from grassroots.errors import Problem

log = logging.getLogger(__name__)

router = APIRouter(tags=["calendar"])


@router.get("/calendar", dependencies=[requires("case.read")])
def get_calendar(
    session: DbSession,
    year: int | None = Query(None, ge=1990, le=2200, description="A whole year"),
    first: Day | None = Query(None, description="First day of a range"),
    last: Day | None = Query(None, description="Last day of a range"),
) -> CalendarOut:
    """Days of a year or a range: working / weekend / holiday / make-up, with a warning for
    each year the calendar does not know (weekends-only fallback)."""
    if year is not None and (first or last):
        raise Problem(422, "bad_range", "year 与 first/last 只能二选一 / year or first/last")
    if year is not None:
        first, last = date(year, 1, 1), date(year, 12, 31)
    if first is None or last is None:
        raise Problem(422, "bad_range", "请给出 year 或 first 与 last / give year or first+last")
    out = queries.calendar_range(session, first, last)
    for warning in out.warnings:
        log.warning("calendar: %s", warning)
    return out


@router.get("/calendar/status", dependencies=[requires("case.read")])
def get_calendar_status(session: DbSession) -> CalendarStatusOut:
    """Which years the package and the administrators know; warnings for this year and next."""
    return queries.calendar_status(session, china_today())


@router.get("/calendar/years/{year}", dependencies=[requires("case.read")])
def get_year_schedule(session: DbSession, year: Year) -> YearScheduleOut:
    """The entries an administrator made for a year (empty if none)."""
    return queries.year_schedule(session, year)


@router.put("/calendar/years/{year}")
def put_year_schedule(
    session: DbSession, year: Year, body: YearScheduleIn, actor: User = requires("config.write")
) -> YearScheduleOut:
    """Enter a year's official schedule (holidays and make-up days) as the State Council
    published it; replaces earlier entries for that year."""
    actions.do_set_year_schedule(session, year, body.notice, body.days, actor=actor)
    return queries.year_schedule(session, year)


@router.post("/calendar/years/{year}/preview")
def preview_year_schedule(
    session: DbSession, year: Year, body: YearScheduleIn, actor: User = requires("config.write")
) -> SchedulePreviewOut:
    """What saving this schedule would do to open cases' deadlines (case, deadline,
    old → new), without saving anything. Lists only the cases the caller may see."""
    change = actions.schedule_change(session, year, body.days)
    return queries.schedule_preview(session, change, actor)


@router.put("/calendar/days/{day}")
def put_calendar_day(
    session: DbSession, day: Day, body: DayIn, actor: User = requires("config.write")
) -> DayIn:
    """Declare or correct one day (the body's day must be the one in the path)."""
    if body.day != day:
        raise Problem(422, "day_mismatch", "路径与正文日期不一致 / day in path and body differ")
    row = actions.do_set_calendar_day(session, body, actor=actor)
    return DayIn(day=row.day, is_working=row.is_working, name=row.name)


@router.delete("/calendar/days/{day}", status_code=204)
def delete_calendar_day(
    session: DbSession, day: Day, actor: User = requires("config.write")
) -> Response:
    actions.do_delete_calendar_day(session, day, actor=actor)
    return Response(status_code=204)
