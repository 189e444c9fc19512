"""The working-day calendar: official 2026 holidays and make-up days, unknown years, admin
entries, and properties of add_working_days / working_days_between."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

import grassroots.calendar.workdays
from grassroots.calendar.models import CalendarDay, CalendarYear
from grassroots.calendar.workdays import (
    DayKind,
    DaySource,
    WorkCalendar,
    load_calendar,
    package_knows,
)

PACKAGE_ONLY = WorkCalendar({}, [])

# 国务院办公厅关于2026年部分节假日安排的通知, as the chinesecalendar package encodes it.
SPRING_FESTIVAL_2026 = [date(2026, 2, 15) + timedelta(days=i) for i in range(9)]  # 2/15-2/23
SPRING_FESTIVAL_MAKEUP = [date(2026, 2, 14), date(2026, 2, 28)]  # Saturdays
NATIONAL_DAY_2026 = [date(2026, 10, 1) + timedelta(days=i) for i in range(7)]  # 10/1-10/7
NATIONAL_DAY_MAKEUP = [date(2026, 9, 20), date(2026, 10, 10)]  # Sunday, Saturday


@pytest.mark.parametrize("day", SPRING_FESTIVAL_2026 + NATIONAL_DAY_2026)
def test_2026_golden_week_days_are_holidays(day: date):
    info = PACKAGE_ONLY.day(day)
    assert not PACKAGE_ONLY.is_working_day(day)
    assert info.kind is DayKind.holiday
    assert info.name in ("春节", "国庆节")
    assert info.source is DaySource.package


@pytest.mark.parametrize("day", SPRING_FESTIVAL_MAKEUP + NATIONAL_DAY_MAKEUP)
def test_2026_make_up_weekend_days_are_working_days(day: date):
    assert day.weekday() >= 5  # a Saturday or Sunday ...
    info = PACKAGE_ONLY.day(day)
    assert PACKAGE_ONLY.is_working_day(day)  # ... on which people work (调休)
    assert info.kind is DayKind.makeup
    assert info.name.endswith("调休上班")


def test_ordinary_2026_days():
    assert PACKAGE_ONLY.day(date(2026, 3, 2)).kind is DayKind.workday  # Monday
    assert PACKAGE_ONLY.day(date(2026, 3, 1)).kind is DayKind.weekend  # Sunday
    assert PACKAGE_ONLY.warnings([2026]) == []


def test_add_working_days_across_spring_festival():
    # Fri 13 Feb → Sat 14 Feb (make-up) is the 1st, then 15-23 Feb off, Tue 24 Feb the 2nd.
    assert PACKAGE_ONLY.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert PACKAGE_ONLY.add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)
    # Without the official calendar it would be Mon 16 Feb: the holiday moves it.
    assert PACKAGE_ONLY.working_days_between(date(2026, 2, 13), date(2026, 2, 28)) == 6


def test_add_working_days_across_national_day():
    # Sat 19 Sep → Sun 20 Sep is a make-up working day.
    assert PACKAGE_ONLY.add_working_days(date(2026, 9, 19), 1) == date(2026, 9, 20)
    # Wed 30 Sep + 1 → Thu 8 Oct (1-7 Oct off), + 3 → Sat 10 Oct (make-up).
    assert PACKAGE_ONLY.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert PACKAGE_ONLY.add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)


def test_zero_days_is_start_or_next_working_day():
    assert PACKAGE_ONLY.add_working_days(date(2026, 3, 2), 0) == date(2026, 3, 2)
    assert PACKAGE_ONLY.add_working_days(date(2026, 10, 1), 0) == date(2026, 10, 8)
    with pytest.raises(ValueError):
        PACKAGE_ONLY.add_working_days(date(2026, 3, 2), -1)


def test_year_beyond_the_statutory_tables_falls_back_to_weekends(caplog, monkeypatch):
    year = 2100
    monkeypatch.setattr(grassroots.calendar.workdays, "_warned_years", set())
    assert not package_knows(year)
    cal = WorkCalendar({}, [])
    new_year = date(year, 1, 1)  # a Friday: a holiday every year, but nobody knows 2100
    with caplog.at_level("WARNING", logger="grassroots.calendar.workdays"):
        info = cal.day(new_year)
    assert info.working and info.source is DaySource.fallback
    assert not cal.is_working_day(date(year, 1, 2))  # Saturday
    [message] = cal.warnings([2026, year])
    assert "2100" in message and "周末" in message
    assert any("2100" in r.getMessage() for r in caplog.records)


def test_admin_entries_override_the_package_and_declare_a_year(session: Session, users):
    year = 2099
    session.add(CalendarYear(year=year, notice="国办发明电〔2098〕1号"))
    session.add_all(
        [
            CalendarDay(day=date(year, 1, 1), is_working=False, name="元旦"),
            CalendarDay(day=date(year, 1, 3), is_working=True, name="元旦调休上班"),
            # Overrides the package: 2 Mar 2026 (a Monday) declared a day off.
            CalendarDay(day=date(2026, 3, 2), is_working=False, name="测试假日"),
        ]
    )
    session.flush()
    cal = load_calendar(session)
    assert cal.warnings([year]) == []
    assert not cal.is_working_day(date(year, 1, 1))
    assert cal.day(date(year, 1, 3)).kind is DayKind.makeup
    assert cal.day(date(year, 1, 5)).source is DaySource.admin  # declared year, plain Monday
    assert not cal.is_working_day(date(2026, 3, 2))
    assert cal.day(date(2026, 3, 2)).source is DaySource.admin
    assert cal.is_working_day(date(2026, 3, 3))  # the package still answers the rest


def test_load_calendar_without_entries_matches_the_package(session: Session):
    cal = load_calendar(session)
    days = [date(2026, 1, 1) + timedelta(days=i) for i in range(365)]
    assert [cal.is_working_day(d) for d in days] == [PACKAGE_ONLY.is_working_day(d) for d in days]
    assert (
        sum(PACKAGE_ONLY.is_working_day(d) for d in days) == 248
    )  # 261 weekdays - 19 holiday weekdays + 6 make-up days


any_day = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31))
some_days = st.integers(min_value=0, max_value=120)


@settings(max_examples=150, deadline=None)
@given(start=any_day, n=some_days)
def test_add_working_days_lands_on_a_working_day(start: date, n: int):
    end = PACKAGE_ONLY.add_working_days(start, n)
    assert PACKAGE_ONLY.is_working_day(end)
    assert end >= start


@settings(max_examples=150, deadline=None)
@given(start=any_day, n=some_days, m=some_days)
def test_add_working_days_is_monotone(start: date, n: int, m: int):
    n, m = sorted((n, m))
    a, b = PACKAGE_ONLY.add_working_days(start, n), PACKAGE_ONLY.add_working_days(start, m)
    assert a <= b
    if 1 <= n < m:
        assert a < b


@settings(max_examples=150, deadline=None)
@given(start=any_day, n=st.integers(min_value=1, max_value=120))
def test_working_days_between_inverts_add_working_days(start: date, n: int):
    end = PACKAGE_ONLY.add_working_days(start, n)
    assert PACKAGE_ONLY.working_days_between(start, end) == n
    # and end is the first day reaching n: the day before has one fewer
    assert PACKAGE_ONLY.working_days_between(start, end - timedelta(days=1)) == n - 1


@settings(max_examples=100, deadline=None)
@given(end=any_day, n=st.integers(min_value=0, max_value=60))
def test_subtract_working_days_inverts_for_working_end(end: date, n: int):
    end = PACKAGE_ONLY.next_working_day(end)
    start = PACKAGE_ONLY.subtract_working_days(end, n)
    assert PACKAGE_ONLY.working_days_between(start, end) == n
