"""Entering a year's schedule moves the deadlines of open cases whose clock runs across the
new holiday, with one audit row each; the preview shows the same moves and writes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from grassroots.audit.models import AuditEntry
from grassroots.calendar.actions import do_set_year_schedule, schedule_change
from grassroots.calendar.models import CalendarDay
from grassroots.calendar.queries import schedule_preview
from grassroots.calendar.schemas import DayIn
from grassroots.calendar.workdays import load_calendar
from grassroots.cases import schemas as s
from grassroots.cases.actions import do_accept, do_assign, do_register
from grassroots.cases.deadlines import recompute as recompute  # registers the hook
from tests.cases.conftest import grid_in

HOLIDAY = date(2026, 9, 24)  # a Thursday the package counts as a working day
DAYS = [DayIn(day=HOLIDAY, is_working=False, name="临时放假")]
BODY = {
    "notice": "测试通知",
    "days": [{"day": "2026-09-24", "is_working": False, "name": "临时放假"}],
}


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)  # 10:00 in Beijing


def _register(session, users, day: date):  # type: ignore[no-untyped-def]
    data = s.NewCase(category_code="neighbour", source_code="visit", title="时限",
                     description="时限测试", grid_code=grid_in(session, users["wang"]))  # fmt: skip
    return do_register(session, data, actor=users["wang"], now=at(day))


@pytest.fixture
def cases(session, users):  # type: ignore[no-untyped-def]
    """An in-progress case whose resolve clock (from 09-22) runs across HOLIDAY, and a
    registered case whose accept clock ended before it."""
    moving = _register(session, users, date(2026, 9, 21))
    do_accept(session, moving.code, actor=users["zhao"], now=at(date(2026, 9, 22)))
    unit = s.Assign(unit_code=f"{moving.village_code}-mediation")
    moving = do_assign(session, moving.code, unit, actor=users["zhao"], now=at(date(2026, 9, 22)))
    staying = _register(session, users, date(2026, 9, 14))
    assert staying.accept_due is not None and staying.accept_due < HOLIDAY
    assert load_calendar(session).is_working_day(HOLIDAY)
    return moving, staying


def _audits(session, action: str) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_a_new_holiday_inside_the_period_moves_the_deadline(session, users, cases):
    moving, staying = cases
    old_due, old_yellow, kept_due = moving.resolve_due, moving.clock_yellow_on, staying.accept_due
    assert moving.clock_started_on < HOLIDAY < old_due
    do_set_year_schedule(session, 2026, "测试通知", DAYS, actor=users["admin"])
    cal = load_calendar(session)
    session.refresh(moving)
    session.refresh(staying)
    assert not cal.is_working_day(HOLIDAY)
    assert moving.resolve_due == cal.add_working_days(old_due, 1) == moving.clock_due_on
    assert moving.clock_yellow_on is not None and moving.clock_yellow_on >= old_yellow
    assert staying.accept_due == kept_due == staying.clock_due_on
    [audit] = _audits(session, "case.deadline.recompute")
    assert audit.object_id == moving.code
    new = moving.resolve_due.isoformat()
    assert audit.details == {
        "year": 2026,
        "deadline": "resolve_due",
        "old": old_due.isoformat(),
        "new": new,
    }
    [year] = _audits(session, "calendar.year.set")
    assert year.details["deadlines_moved"] == 1


def test_the_preview_lists_the_moves_in_scope_and_writes_nothing(session, users, cases):
    moving, _ = cases
    change = schedule_change(session, 2026, DAYS)
    seen = schedule_preview(session, change, users["zhao"])
    assert (seen.moved, seen.hidden) == (1, 0)
    [move] = seen.moves
    assert (move.case_code, move.deadline, move.old) == (
        moving.code,
        "resolve_due",
        moving.resolve_due,
    )
    assert move.new == change.new.add_working_days(moving.resolve_due, 1)
    admin = schedule_preview(session, change, users["admin"])  # sees no cases
    assert (admin.moved, admin.hidden, admin.moves) == (1, 1, [])
    assert session.scalar(select(func.count()).select_from(CalendarDay)) == 0
    assert load_calendar(session).is_working_day(HOLIDAY)
    assert _audits(session, "case.deadline.recompute") == []


def test_preview_api_changes_nothing_and_needs_the_calendar_right(client_as, session, cases):
    moving, _ = cases
    due = moving.resolve_due
    r = client_as("admin").post("/api/v1/calendar/years/2026/preview", json=BODY)
    assert r.status_code == 200, r.text
    assert r.json() == {"year": 2026, "moved": 1, "hidden": 1, "moves": []}
    r = client_as("zhao").post("/api/v1/calendar/years/2026/preview", json=BODY)
    assert r.status_code == 403
    session.refresh(moving)
    assert moving.resolve_due == due
    assert session.scalar(select(func.count()).select_from(CalendarDay)) == 0


def test_the_calendar_page_preview_counts_the_moves(client_as, session, cases):
    data = {"notice": "测试通知", "schedule": "2026-09-24 临时放假\n", "intent": "preview"}
    r = client_as("admin").post("/admin/calendar/2026", data=data, headers={"accept": "text/html"})
    assert r.status_code == 200 and 'id="deadline-moves"' in r.text
    assert "保存后将变动的在办案件时限: 1" in r.text
    assert "其中 1 件不在您的可见范围内" in r.text and cases[0].code not in r.text
    assert session.scalar(select(func.count()).select_from(CalendarDay)) == 0


def test_correcting_one_day_moves_the_deadline_and_deleting_it_moves_it_back(
    client_as, session, users, cases
):
    moving, staying = cases
    old_due, kept_due = moving.resolve_due, staying.accept_due
    admin = client_as("admin")
    r = admin.put(f"/api/v1/calendar/days/{HOLIDAY}", json=BODY["days"][0])
    assert r.status_code == 200, r.text
    session.refresh(moving)
    session.refresh(staying)
    cal = load_calendar(session)
    assert moving.resolve_due == cal.add_working_days(old_due, 1) == moving.clock_due_on
    assert staying.accept_due == kept_due
    [day_set] = _audits(session, "calendar.day.set")
    assert day_set.details["deadlines_moved"] == 1
    [moved] = _audits(session, "case.deadline.recompute")
    assert moved.details["old"] == old_due.isoformat()

    assert admin.delete(f"/api/v1/calendar/days/{HOLIDAY}").status_code == 204
    session.refresh(moving)
    assert moving.resolve_due == old_due == moving.clock_due_on
    [deleted] = _audits(session, "calendar.day.delete")
    assert deleted.details == {"deadlines_moved": 1}


def test_a_refused_day_correction_moves_nothing(client_as, session, cases):
    moving, _ = cases
    due = moving.resolve_due
    body = {"day": "2301-01-01", "is_working": False, "name": "太远"}
    r = client_as("admin").put("/api/v1/calendar/days/2301-01-01", json=body)
    assert r.status_code == 422
    r = client_as("zhao").put(f"/api/v1/calendar/days/{HOLIDAY}", json=BODY["days"][0])
    assert r.status_code == 403
    session.refresh(moving)
    assert moving.resolve_due == due
    assert _audits(session, "case.deadline.recompute") == []


def test_the_sources_own_deadline_still_caps_the_recomputed_one(session, users, cases):
    """A 12345 order's 办理时限 (source_due_on) stays the limit: a new holiday moves the
    working-day count (to 10-12 here), but the order's date wins — the stricter."""
    moving, _ = cases
    old_due = moving.resolve_due
    moving.source_due_on = old_due  # the order said: done by the day the clock gives now
    session.commit()
    change = schedule_change(session, 2026, DAYS)
    assert change.new.add_working_days(old_due, 1) > old_due  # uncapped, it would move
    assert schedule_preview(session, change, users["zhao"]).moved == 0
    do_set_year_schedule(session, 2026, "测试通知", DAYS, actor=users["admin"])
    session.refresh(moving)
    assert moving.resolve_due == old_due == moving.clock_due_on
    assert _audits(session, "case.deadline.recompute") == []


def test_a_looser_source_deadline_lets_the_clock_move(session, users, cases):
    moving, _ = cases
    old_due = moving.resolve_due
    moving.source_due_on = date(2026, 12, 31)  # later than ours: our own limit is stricter
    session.commit()
    do_set_year_schedule(session, 2026, "测试通知", DAYS, actor=users["admin"])
    session.refresh(moving)
    assert moving.resolve_due == load_calendar(session).add_working_days(old_due, 1)
