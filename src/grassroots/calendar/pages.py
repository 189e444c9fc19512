"""管理 → holiday calendar: a whole year's official schedule at once, as text.

The administrator pastes the State Council's schedule (see calendar/schedule/text.py for the
format), previews it — every bad line is shown with its number — and saves it all or nothing
through do_set_year_schedule, the same action as PUT /api/v1/calendar/years/{year}.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from grassroots.accounts.models import User
from grassroots.calendar.actions import (
    FIRST_YEAR,
    LAST_YEAR,
    do_set_year_schedule,
    schedule_change,
)
from grassroots.calendar.models import CalendarYear
from grassroots.calendar.queries import schedule_preview, year_entries
from grassroots.calendar.schedule import statutory
from grassroots.calendar.schedule.text import MAX_TEXT, Parsed, parse_schedule, schedule_text
from grassroots.calendar.schemas import DayIn, SchedulePreviewOut
from grassroots.calendar.today import china_today, local_date, local_time
from grassroots.calendar.workdays import DayKind, load_calendar, package_knows
from grassroots.deps import DbSession, requires
from grassroots.errors import Problem
from grassroots.web.flash import set_flash
from grassroots.web.forms import form_fields
from grassroots.web.templating import register_filters, render

router = APIRouter(include_in_schema=False)
register_filters(local=local_time, local_day=local_date)  # stored times in China time
Configurer = Annotated[User, requires("config.write")]
FormFields = Annotated[dict[str, Any], Depends(form_fields)]


def _year(value: int) -> int:
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise Problem(422, "bad_year", f"年份须在 {FIRST_YEAR}–{LAST_YEAR} 之间 / bad year")
    return value


def year_status(session: DbSession, year: int) -> dict[str, Any]:
    """admin (entered, with its notice) / package (known from chinesecalendar) / provisional
    (statutory holidays only, calendar/schedule/statutory.py) / unknown (weekends only)."""
    row = session.get(CalendarYear, year)
    if row is not None:
        return {"source": "admin", "notice": row.notice, "entered_at": row.entered_at}
    if package_knows(year):
        return {"source": "package", "notice": ""}
    return {"source": "provisional" if statutory.covers(year) else "unknown", "notice": ""}


def _current_days(session: DbSession, year: int, source: str) -> list[DayIn]:
    """What the year's schedule is now: the administrator's rows, else the package's days,
    else the statutory days of a provisional year (a start: the notice adds the 调休)."""
    if source not in ("package", "provisional"):
        return [DayIn(day=d.day, is_working=d.is_working, name=d.name)
                for d in year_entries(session, year)]  # fmt: skip
    days = load_calendar(session).days(date(year, 1, 1), date(year, 12, 31))
    return [
        DayIn(day=d.day, is_working=d.working, name=d.name)
        for d in days
        if d.kind in (DayKind.holiday, DayKind.makeup) and d.source.value == source
    ]


def _page(
    request: Request,
    session: DbSession,
    user: User,
    year: int,
    form: dict[str, str] | None = None,
    parsed: Parsed | None = None,
    status: int = 200,
    moves: SchedulePreviewOut | None = None,
) -> HTMLResponse:
    state = year_status(session, year)
    if form is None:
        text = schedule_text(_current_days(session, year, state["source"]))
        form = {"notice": state["notice"], "schedule": text}
    context = {
        "year": year,
        "this_year": china_today().year,
        "status": state,
        "values": form,
        "parsed": parsed,
        "moves": moves,
        "warnings": load_calendar(session).warnings([year]),
    }
    return render(request, "calendar/calendar.html", context, user=user, status_code=status)


@router.get("/admin/calendar", response_class=HTMLResponse)
def calendar_page(
    request: Request, session: DbSession, user: Configurer, year: int | None = None
) -> HTMLResponse:
    return _page(request, session, user, _year(year or china_today().year))


@router.post("/admin/calendar/{year}", response_class=HTMLResponse)
def calendar_submit(
    request: Request, session: DbSession, user: Configurer, year: int, form: FormFields
) -> Response:
    """intent=preview shows the parsed days and the open cases' deadlines saving would move
    (those in the user's scope by case code); intent=save saves them all, or nothing when any
    line is wrong or the notice is missing (422, the page lists each line's error)."""
    _year(year)
    values = {k: str(form.get(k, "")) for k in ("notice", "schedule")}
    parsed = parse_schedule(values["schedule"], year)
    values["schedule"] = values["schedule"][: MAX_TEXT + 1000]  # shown back, never saved
    values["notice"] = values["notice"].strip()[:200]
    notice_missing = not values["notice"]
    if form.get("intent") != "save" or not parsed.ok or notice_missing:
        failed = form.get("intent") == "save" and (not parsed.ok or notice_missing)
        status = 422 if failed else 200
        values["notice_missing"] = "1" if notice_missing and failed else ""
        moves = None
        if parsed.ok and parsed.days:
            moves = schedule_preview(session, schedule_change(session, year, parsed.days), user)
        return _page(request, session, user, year, values, parsed, status, moves)
    do_set_year_schedule(session, year, values["notice"], parsed.days, actor=user)
    response = RedirectResponse(f"/admin/calendar?year={year}", status_code=303)
    set_flash(response, "saved")
    return response
