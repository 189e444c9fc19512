"""A resolve limit stated in months (人民调解: 一般在一个月内调结) takes the stricter of the
working days and the legal month (民法典 arts. 201-203); issue 15 items 17 and 6.

Hand-computed on the 2026 calendar (National Day 10-01..10-08 off, make-up 09-20 and 10-10):
- accepted 09-22: 20 working days → 10-27, one month → 10-22 (Thu): due 10-22 (the month);
- accepted 11-02: 20 working days → 11-30, one month → 12-02: due 11-30 (the working days).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from grassroots.calendar.actions import do_set_calendar_day, do_set_year_schedule
from grassroots.calendar.schemas import DayIn
from grassroots.cases import schemas as s
from grassroots.cases.actions import do_accept, do_register
from grassroots.cases.deadlines.actions import do_set_policy
from grassroots.cases.deadlines.models import DeadlinePolicy
from grassroots.cases.deadlines.policies import DEFAULT_POLICIES, Policy, stricter
from grassroots.cases.deadlines.schemas import PolicyIn
from tests.cases.conftest import grid_in


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)


def _accepted(session, users, day: date):  # type: ignore[no-untyped-def]
    data = s.NewCase(category_code="neighbour", source_code="visit", title="月限",
                     description="一个月", grid_code=grid_in(session, users["wang"]))  # fmt: skip
    case = do_register(session, data, actor=users["wang"], now=at(day))
    return do_accept(session, case.code, actor=users["zhao"], now=at(day))


def test_the_seeded_village_row_states_one_month(session):  # type: ignore[no-untyped-def]
    row = session.scalars(select(DeadlinePolicy).where(
        DeadlinePolicy.source_code == "", DeadlinePolicy.category_code == "",
        DeadlinePolicy.level == "village", DeadlinePolicy.violence_risk.is_(False),
    )).one()  # fmt: skip
    assert (row.resolve_days, row.resolve_months) == (20, 1)
    assert DEFAULT_POLICIES[("village", False)].resolve_months == 1
    assert DEFAULT_POLICIES[("county", False)].resolve_months is None


@pytest.mark.parametrize(("day", "due"), [(date(2026, 9, 22), date(2026, 10, 22)),
                                          (date(2026, 11, 2), date(2026, 11, 30))])  # fmt: skip
def test_the_stricter_of_twenty_working_days_and_one_month(session, users, day, due):  # type: ignore[no-untyped-def]
    case = _accepted(session, users, day)
    assert case.level == "village"
    assert case.resolve_due == due == case.clock_due_on


def test_working_days_only_when_the_row_says_no_months(session, users):  # type: ignore[no-untyped-def]
    do_set_policy(session, PolicyIn(level="village", accept_days=3, resolve_days=20,
                                    follow_up_days=10, auto_escalate=True, resolve_months=None),
                  actor=users["admin"])  # fmt: skip
    assert _accepted(session, users, date(2026, 9, 22)).resolve_due == date(2026, 10, 27)


def test_a_policy_api_refuses_a_bad_month_count(client_as):  # type: ignore[no-untyped-def]
    body = {"level": "county", "accept_days": 5, "resolve_days": 40, "follow_up_days": 10,
            "resolve_months": 13}  # fmt: skip
    r = client_as("admin").put("/api/v1/deadline-policies", json=body)
    assert r.status_code == 422 and "resolve_months" in r.text
    r = client_as("admin").put("/api/v1/deadline-policies", json=body | {"resolve_months": 2})
    assert r.status_code == 200 and r.json()["resolve_months"] == 2


def test_stricter_keeps_the_smaller_month_count():  # type: ignore[no-untyped-def]
    assert stricter(Policy(3, 20, 10, True, 1), Policy(1, 5, 5, True)).resolve_months == 1
    assert stricter(Policy(3, 20, 10, True, 2), Policy(1, 5, 5, True, 1)).resolve_months == 1
    assert stricter(Policy(3, 20, 10, True), Policy(1, 5, 5, True)).resolve_months is None


def test_the_recompute_keeps_the_legal_month(session, users):  # type: ignore[no-untyped-def]
    """A holiday inside the month moves a working-day count, not the month's end; making the
    end day itself a day off moves the deadline to the next working day (art. 203)."""
    case = _accepted(session, users, date(2026, 9, 22))
    assert case.resolve_due == date(2026, 10, 22)
    inside = [DayIn(day=date(2026, 9, 24), is_working=False, name="临时放假")]
    do_set_year_schedule(session, 2026, "测试通知", inside, actor=users["admin"])
    session.refresh(case)
    assert case.resolve_due == date(2026, 10, 22)
    end = DayIn(day=date(2026, 10, 22), is_working=False, name="临时放假")
    do_set_calendar_day(session, end, actor=users["admin"])
    session.refresh(case)
    assert case.resolve_due == date(2026, 10, 23) == case.clock_due_on
