"""What the actions do to the deadlines, on the official calendar (around National Day 2026,
whose holiday and make-up working days the calendar knows)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from grassroots.calendar.workdays import load_calendar
from grassroots.cases import schemas as s
from grassroots.cases.actions import (
    do_accept,
    do_assign,
    do_escalate,
    do_extend,
    do_register,
    do_resolve,
    do_resume,
    do_suspend,
)
from grassroots.cases.deadlines.policies import policy_for
from tests.cases.conftest import grid_in


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)  # 10:00 in Beijing


@pytest.fixture
def in_progress(session, users):
    data = s.NewCase(category_code="neighbour", source_code="visit", title="时限",
                     description="时限测试", grid_code=grid_in(session, users["wang"]))  # fmt: skip
    case = do_register(session, data, actor=users["wang"], now=at(date(2026, 9, 21)))
    do_accept(session, case.code, actor=users["zhao"], now=at(date(2026, 9, 22)))
    unit = s.Assign(unit_code=f"{case.village_code}-mediation")
    return do_assign(session, case.code, unit, actor=users["zhao"], now=at(date(2026, 9, 22)))


def test_register_and_accept_start_their_clocks(session, in_progress):
    cal = load_calendar(session)
    policy = policy_for(session, "neighbour", "village", False)
    assert in_progress.accept_due == cal.add_working_days(date(2026, 9, 21), policy.accept_days)
    # the village policy states "one month" as well as 20 working days: the stricter wins —
    # 20 working days from 09-22 run to 10-27 over National Day, the legal month to 10-22
    assert policy.resolve_months == 1
    assert cal.add_working_days(date(2026, 9, 22), policy.resolve_days) == date(2026, 10, 27)
    assert in_progress.resolve_due == date(2026, 10, 22)
    assert in_progress.clock_due_on == in_progress.resolve_due
    assert not cal.is_working_day(date(2026, 10, 5))  # National Day holiday


def test_suspension_stops_the_clock(session, users, in_progress):
    cal = load_calendar(session)
    due = in_progress.resolve_due
    code = in_progress.code
    case = do_suspend(session, code, s.Suspend(reason="等待鉴定"), actor=users["zhao"],
                      now=at(date(2026, 9, 29)))  # fmt: skip
    assert case.clock_due_on is None and case.state == "suspended"
    case = do_resume(session, code, actor=users["zhao"], now=at(date(2026, 10, 12)))
    paused = cal.working_days_between(date(2026, 9, 29), date(2026, 10, 12))
    assert paused < (date(2026, 10, 12) - date(2026, 9, 29)).days - 4  # the holiday counted
    assert case.resolve_due == cal.add_working_days(due, paused)
    assert case.clock_due_on == case.resolve_due
    assert case.events[-1].details["paused_working_days"] == paused


def test_extension_moves_the_deadline(session, users, in_progress):
    cal = load_calendar(session)
    due = in_progress.resolve_due
    extend = s.Extend(days=7, approved_by="陈国栋", reason="需要现场勘验", parties_consent=True)
    case = do_extend(session, in_progress.code, extend, actor=users["zhao"])
    assert case.resolve_due == cal.add_working_days(due, 7)


def test_escalation_restarts_the_clock_at_the_higher_level(session, users, in_progress):
    cal = load_calendar(session)
    day = date(2026, 10, 9)
    case = do_escalate(session, in_progress.code, s.Escalate(reason="跨村纠纷"),
                       actor=users["zhao"], now=at(day))  # fmt: skip
    assert (case.level, case.state, case.unit_id) == ("township", "accepted", None)
    policy = policy_for(session, "neighbour", "township", False)
    assert case.resolve_due == cal.add_working_days(day, policy.resolve_days)
    assert case.escalation_count == 1


def test_resolution_starts_the_follow_up_clock(session, users, in_progress):
    cal = load_calendar(session)
    day = date(2026, 9, 30)
    case = do_resolve(session, in_progress.code, s.Resolve(outcome_note="达成协议"),
                      actor=users["zhao"], now=at(day))  # fmt: skip
    policy = policy_for(session, "neighbour", "village", False)
    assert case.follow_up_due == cal.add_working_days(day, policy.follow_up_days)
    assert (case.outcome, case.resolved_level) == ("resolved", "village")
