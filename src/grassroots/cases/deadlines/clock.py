"""How the case actions drive the deadline clock, on the clock helper's calendar and policies.

One clock runs at a time, for whatever the case's state waits for: acceptance (registered),
resolution at the current level (accepted / in progress), follow-up (resolved). The case
keeps its start, yellow-from and due dates so that lists filter by light in SQL; the light
itself is the calendar's traffic_light, so the stored yellow date is found with it.
"""

from __future__ import annotations

import math
from datetime import date

from sqlalchemy.orm import Session

from grassroots.calendar.today import local_date
from grassroots.calendar.workdays import WorkCalendar, load_calendar
from grassroots.cases.deadlines.policies import (
    YELLOW_SHARE,
    Policy,
    policy_for,
    resolve_due_on,
    traffic_light,
)
from grassroots.cases.models import Case

__all__ = ["Policy", "WorkCalendar", "load_calendar", "traffic_light"]


def policy(session: Session, case: Case) -> Policy:
    return policy_for(session, case.category_code, case.level, case.violence_risk, case.source_code)


def yellow_from(cal: WorkCalendar, started: date, due: date) -> date:
    """The first day on or after `started` that traffic_light shows yellow (or red) for this
    clock. traffic_light turns yellow once the working days used reach YELLOW_SHARE of
    those allowed; the used count is a whole number, so that is the ceil(share)-th working
    day after the start (tests/cases/deadlines/test_clock.py checks it against the light itself)."""
    allowed = cal.working_days_between(started, due)
    if allowed <= 0:
        return started
    return cal.add_working_days(started, math.ceil(YELLOW_SHARE * allowed))


def start_clock(cal: WorkCalendar, case: Case, started: date, due: date) -> None:
    case.clock_started_on = started
    case.clock_due_on = due
    case.clock_yellow_on = yellow_from(cal, started, due)


def stop_clock(case: Case) -> None:
    case.clock_started_on = case.clock_due_on = case.clock_yellow_on = None


def start_accept_clock(session: Session, cal: WorkCalendar, case: Case, today: date) -> None:
    case.accept_due = cal.add_working_days(today, policy(session, case).accept_days)
    start_clock(cal, case, today, case.accept_due)


def start_resolve_clock(session: Session, cal: WorkCalendar, case: Case, today: date) -> None:
    """(Re)start the time to resolve at the case's current level."""
    due = resolve_due_on(cal, today, policy(session, case))
    case.resolve_due = capped(due, case.source_due_on, today)
    start_clock(cal, case, today, case.resolve_due)


def capped(due: date, source_due: date | None, today: date) -> date:
    """`due`, or the source's earlier deadline (12345's 办理时限), never before today."""
    return due if source_due is None or source_due >= due else max(today, source_due)


def start_follow_up_clock(session: Session, cal: WorkCalendar, case: Case, today: date) -> None:
    case.follow_up_due = cal.add_working_days(today, policy(session, case).follow_up_days)
    start_clock(cal, case, today, case.follow_up_due)


def extend_resolve_clock(cal: WorkCalendar, case: Case, days: int) -> None:
    """Move the resolve deadline by `days` working days (an approved extension)."""
    assert case.resolve_due is not None
    case.resolve_due = cal.add_working_days(case.resolve_due, days)
    start_clock(cal, case, case.clock_started_on or case.resolve_due, case.resolve_due)


def pause_clock(case: Case) -> None:
    """Suspension: no due date runs (no light, never overdue); the start is kept."""
    case.clock_due_on = case.clock_yellow_on = None


def resume_resolve_clock(cal: WorkCalendar, case: Case, today: date) -> int:
    """After a suspension the deadline and the clock's start move by the working days the
    case was suspended (so the share of time used is what it was); returns that number."""
    assert case.suspended_at is not None and case.resolve_due is not None
    paused = cal.working_days_between(local_date(case.suspended_at), today)
    started = case.clock_started_on or today
    if paused:
        case.resolve_due = cal.add_working_days(case.resolve_due, paused)
        started = cal.add_working_days(started, paused)
    start_clock(cal, case, min(started, case.resolve_due), case.resolve_due)
    return paused


def light_of(cal: WorkCalendar, case: Case, today: date) -> str | None:
    if case.clock_due_on is None or case.clock_started_on is None:
        return None
    return traffic_light(cal, case.clock_started_on, case.clock_due_on, today)
