"""Deadline policies: lookup order, violence_risk stricter, traffic light boundaries."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from grassroots.calendar.workdays import WorkCalendar
from grassroots.cases.deadlines.models import DeadlinePolicy
from grassroots.cases.deadlines.policies import (
    CASE_LEVELS,
    DEFAULT_POLICIES,
    Policy,
    due_date,
    policy_for,
    traffic_light,
)

CAL = WorkCalendar({}, [])


def _row(session: Session, category: str, level: str, risk: bool) -> DeadlinePolicy:
    row = session.scalar(
        select(DeadlinePolicy).where(
            DeadlinePolicy.source_code == "",
            DeadlinePolicy.category_code == category,
            DeadlinePolicy.level == level,
            DeadlinePolicy.violence_risk == risk,
        )
    )
    assert row is not None
    return row


@pytest.mark.parametrize("level", CASE_LEVELS)
def test_seeded_defaults_match_the_documented_ones(session: Session, level: str):
    for risk in (False, True):
        row = _row(session, "", level, risk)
        seeded = _as(row)
        assert seeded == DEFAULT_POLICIES[(level, risk)]
        assert row.basis  # every default says where it comes from


def test_level_default_applies_to_every_category(session: Session):
    assert policy_for(session, "neighbour", "village", False) == _as(
        _row(session, "", "village", False)
    )


def _as(row: DeadlinePolicy) -> Policy:
    return Policy(row.accept_days, row.resolve_days, row.follow_up_days, row.auto_escalate,
                  row.resolve_months)  # fmt: skip


def test_category_row_wins_over_the_level_default(session: Session):
    session.add(
        DeadlinePolicy(
            category_code="land",
            level="township",
            violence_risk=False,
            accept_days=4,
            resolve_days=30,
            follow_up_days=12,
            auto_escalate=False,
        )
    )
    session.flush()
    assert policy_for(session, "land", "township", False) == Policy(4, 30, 12, False)
    # other categories and other levels keep the default
    assert (
        policy_for(session, "neighbour", "township", False) == DEFAULT_POLICIES[("township", False)]
    )
    assert policy_for(session, "land", "village", False) == DEFAULT_POLICIES[("village", False)]


def test_builtin_default_when_an_admin_deleted_every_row(session: Session):
    session.execute(delete(DeadlinePolicy).where(DeadlinePolicy.level == "county"))
    session.flush()
    assert policy_for(session, "any", "county", True) == DEFAULT_POLICIES[("county", True)]


@pytest.mark.parametrize("level", CASE_LEVELS)
def test_violence_risk_is_stricter(session: Session, level: str):
    risky = policy_for(session, "neighbour", level, True)
    ordinary = policy_for(session, "neighbour", level, False)
    assert risky.resolve_days < ordinary.resolve_days
    assert risky.accept_days <= ordinary.accept_days
    assert risky.follow_up_days <= ordinary.follow_up_days


def test_violence_risk_never_more_lenient_than_a_category_row(session: Session):
    session.add(
        DeadlinePolicy(
            category_code="family",
            level="village",
            violence_risk=False,
            accept_days=1,
            resolve_days=3,
            follow_up_days=2,
            auto_escalate=False,
        )
    )
    session.flush()
    risky = policy_for(session, "family", "village", True)
    default_risk = DEFAULT_POLICIES[("village", True)]
    assert risky == Policy(1, 3, 2, default_risk.auto_escalate)


def test_unknown_level_is_refused(session: Session):
    with pytest.raises(ValueError, match="level"):
        policy_for(session, "family", "grid", False)


# 2026-03-02 is a Monday; ten working days → Monday 16 March.
STARTED = date(2026, 3, 2)
DUE = date(2026, 3, 16)


def test_traffic_light_boundaries():
    assert CAL.working_days_between(STARTED, DUE) == 10
    assert traffic_light(CAL, STARTED, DUE, STARTED) == "green"
    assert traffic_light(CAL, STARTED, DUE, date(2026, 3, 10)) == "green"  # 6 of 10 used
    assert traffic_light(CAL, STARTED, DUE, date(2026, 3, 11)) == "green"  # 7 of 10
    assert traffic_light(CAL, STARTED, DUE, date(2026, 3, 12)) == "yellow"  # 8 of 10 = 80 %
    assert traffic_light(CAL, STARTED, DUE, date(2026, 3, 14)) == "yellow"  # weekend: still 9
    assert traffic_light(CAL, STARTED, DUE, DUE) == "yellow"  # due day itself: not overdue
    assert traffic_light(CAL, STARTED, DUE, date(2026, 3, 17)) == "red"


def test_due_today_from_zero_days_is_yellow_not_green():
    assert traffic_light(CAL, STARTED, STARTED, STARTED) == "yellow"


def test_due_date_counts_working_days_in_china_time():
    from datetime import UTC, datetime

    # 16:30 UTC on Friday 13 Feb 2026 is already Saturday 14 Feb (a make-up day) in China.
    late_friday = datetime(2026, 2, 13, 16, 30, tzinfo=UTC)
    assert due_date(CAL, late_friday, 1) == date(2026, 2, 24)
    assert due_date(CAL, date(2026, 2, 13), 1) == date(2026, 2, 14)


@settings(max_examples=150, deadline=None)
@given(
    started=st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31)),
    n=st.integers(min_value=1, max_value=40),
    offset=st.integers(min_value=0, max_value=80),
)
def test_light_is_red_exactly_after_due_and_never_goes_back(started: date, n: int, offset: int):
    from datetime import timedelta

    due = CAL.add_working_days(started, n)
    today = started + timedelta(days=offset)
    light = traffic_light(CAL, started, due, today)
    assert (light == "red") == (today > due)
    order = ["green", "yellow", "red"]
    tomorrow = traffic_light(CAL, started, due, today + timedelta(days=1))
    assert order.index(tomorrow) >= order.index(light)
