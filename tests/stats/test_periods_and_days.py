"""Periods and working-day counts behave (Hypothesis)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.calendar.today import local_date, local_midnight_utc
from grassroots.calendar.workday_index import WorkdayIndex
from grassroots.calendar.workdays import WorkCalendar
from grassroots.errors import Problem
from grassroots.stats.periods import parse_period

INDEX = WorkdayIndex(WorkCalendar({}, []))
REFERENCE = WorkCalendar({}, [])
days = st.dates(min_value=date(2019, 1, 1), max_value=date(2027, 12, 31))


@settings(deadline=None)  # the first call builds each year's index
@given(a=days, b=days)
def test_index_counts_working_days_like_the_calendar(a: date, b: date) -> None:
    expected = REFERENCE.working_days_between(a, b) if b > a else 0
    assert INDEX.between(a, b) == expected


def test_national_day_week_is_not_worked() -> None:
    # 2025-10-01..08 are holidays; 2025-09-28 (Sun) and 2025-10-11 (Sat) are make-up days.
    assert INDEX.between(date(2025, 9, 30), date(2025, 10, 8)) == 0
    assert INDEX.between(date(2025, 9, 27), date(2025, 9, 28)) == 1


@given(text=st.sampled_from(["2026-03", "2026-Q3", "2026-H2", "2026", "2025-11..2026-02"]))
def test_labels_read_back(text: str) -> None:
    p = parse_period(text)
    assert parse_period(p.label) == p
    assert p.previous().after == p.first
    assert p.year_ago().first.year == p.first.year - 1


@given(
    moment=st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
    )
)
def test_local_day_boundaries(moment: datetime) -> None:
    day = local_date(moment)
    assert local_midnight_utc(day) <= moment < local_midnight_utc(day + timedelta(days=1))


@pytest.mark.parametrize("bad", ["2026-13", "2026-Q5", "26", "2026-05..2026-01", "soon"])
def test_bad_periods_are_refused_clearly(bad: str) -> None:
    with pytest.raises(Problem) as err:
        parse_period(bad)
    assert err.value.code == "bad_period"
