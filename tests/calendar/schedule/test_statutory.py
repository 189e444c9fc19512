"""Provisional years: the statutory holidays of 全国年节及纪念日放假办法 (2024), checked against
the official 2025 and 2026 schedules, a hand-worked 2027 and 2028, and each other's sources."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from borax.calendars.lunardate import TermUtils
from hypothesis import given
from hypothesis import strategies as st

import grassroots.calendar.workdays
from grassroots.calendar.schedule import statutory
from grassroots.calendar.schedule.statutory import MAKE_UP_SUFFIX, statutory_days
from grassroots.calendar.workdays import DayKind, DaySource, WorkCalendar

NOBODY = WorkCalendar({}, [])


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_statutory_day_is_off_in_the_official_schedule(year: int):
    for day, name in statutory_days(year).items():
        on_holiday, official = chinese_calendar.get_holiday_detail(day)
        assert on_holiday, (day, name)
        assert official is not None


def test_2027_worked_by_hand():
    d = date
    assert statutory_days(2027) == {
        d(2027, 1, 1): "元旦",  # Friday
        d(2027, 2, 5): "春节",  # 除夕, Friday
        d(2027, 2, 6): "春节",  # Saturday
        d(2027, 2, 7): "春节",  # Sunday
        d(2027, 2, 8): "春节",
        d(2027, 2, 9): "春节补假",  # for the Saturday
        d(2027, 2, 10): "春节补假",  # for the Sunday
        d(2027, 4, 5): "清明节",
        d(2027, 5, 1): "劳动节",  # Saturday
        d(2027, 5, 2): "劳动节",  # Sunday
        d(2027, 5, 3): "劳动节补假",
        d(2027, 5, 4): "劳动节补假",
        d(2027, 6, 9): "端午节",
        d(2027, 9, 15): "中秋节",
        d(2027, 10, 1): "国庆节",  # Friday
        d(2027, 10, 2): "国庆节",
        d(2027, 10, 3): "国庆节",
        d(2027, 10, 4): "国庆节补假",
        d(2027, 10, 5): "国庆节补假",
    }


def test_2028_mid_autumn_inside_national_day_is_given_back():
    days = statutory_days(2028)
    assert days[date(2028, 10, 3)] == "国庆节"  # also 中秋 (八月十五)
    # 10-1 is a Sunday and 中秋 coincides with 10-3: two days given back after the 3rd.
    assert days[date(2028, 10, 4)] == "国庆节补假"
    assert days[date(2028, 10, 5)] == "中秋节补假"
    assert date(2028, 10, 6) not in days


def test_qingming_from_two_sources_agrees():
    for year in range(statutory.FIRST_YEAR, statutory.LAST_YEAR + 1):
        formula = statutory._qingming(year)
        assert TermUtils.nth_term_day(year, term_name="清明") == formula, year


@given(st.integers(statutory.FIRST_YEAR, statutory.LAST_YEAR))
def test_statutory_year_shape(year: int):
    days = statutory_days(year)
    made_up = [d for d, name in days.items() if name.endswith(MAKE_UP_SUFFIX)]
    distinct = len(days) - len(made_up)
    coinciding = 13 - distinct  # 1 + 4 + 1 + 2 + 1 + 1 + 3 days, some may fall together
    assert 0 <= coinciding <= 1
    assert all(d.year == year for d in days)
    assert all(d.weekday() < 5 for d in made_up)  # a day given back is a working day
    weekend = sum(d.weekday() >= 5 for d, n in days.items() if not n.endswith(MAKE_UP_SUFFIX))
    assert len(made_up) == weekend + coinciding


def test_years_outside_the_rules_have_none():
    assert statutory_days(2024) == {} and statutory_days(2100) == {}


def test_provisional_year_in_the_calendar(caplog, monkeypatch):
    monkeypatch.setattr(grassroots.calendar.workdays, "_warned_years", set())
    with caplog.at_level("WARNING", logger="grassroots.calendar.workdays"):
        info = NOBODY.day(date(2027, 1, 1))
    assert (info.kind, info.working, info.name) == (DayKind.holiday, False, "元旦")
    assert info.source is DaySource.provisional
    assert NOBODY.day(date(2027, 1, 4)).source is DaySource.provisional
    assert NOBODY.is_provisional(2027) and not NOBODY.is_provisional(2026)
    [message] = NOBODY.warnings([2026, 2027])
    assert "2027" in message and "暂定" in message and "provisional" in message
    assert any("暂定" in r.getMessage() for r in caplog.records)
    # The 18 demo cases that were due on 2027-01-01: one working day after 12-31 is now 01-04.
    assert NOBODY.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    # 调休 unknown: no weekend is a working day in a provisional year.
    spring = NOBODY.days(date(2027, 1, 30), date(2027, 2, 21))
    assert not any(d.working for d in spring if d.day.weekday() >= 5)
    assert [d.day for d in spring if d.kind is DayKind.holiday] == [
        date(2027, 2, 5) + timedelta(days=i) for i in range(6)
    ]


def test_entered_year_is_no_longer_provisional():
    cal = WorkCalendar({date(2027, 2, 20): (True, "春节调休上班")}, [2027])
    assert not cal.is_provisional(2027) and cal.warnings([2027]) == []
    assert cal.day(date(2027, 1, 1)).working  # the entry is the whole truth: 元旦 not listed
    assert cal.day(date(2027, 2, 20)).kind is DayKind.makeup
