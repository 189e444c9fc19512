"""Periods in months (民法典 arts. 201–203), and the fact docs/deadlines.md states about
"20 working days ≈ one month"."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots.calendar.periods import corresponding_day, months_end
from grassroots.calendar.workdays import WorkCalendar

PACKAGE_ONLY = WorkCalendar({}, [])


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2026, 3, 10), 1, date(2026, 4, 10)),  # a Friday: the corresponding day
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # no 31 Feb: 28 Feb, a make-up Saturday
        (date(2025, 1, 31), 1, date(2025, 2, 28)),  # 28 Feb 2025, a Friday
        (date(2026, 9, 1), 1, date(2026, 10, 8)),  # 1 Oct is 国庆: the first day after it
        (date(2026, 3, 7), 1, date(2026, 4, 7)),  # 4-6 Apr 清明, 7 Apr a Tuesday
        (date(2026, 12, 15), 1, date(2027, 1, 15)),  # into a provisional year
        (date(2026, 11, 30), 3, date(2027, 3, 1)),  # 28 Feb 2027 a Sunday
    ],
)
def test_months_end_by_hand(start: date, months: int, end: date):
    assert months_end(PACKAGE_ONLY, start, months) == end


def test_negative_months_are_refused():
    with pytest.raises(ValueError):
        corresponding_day(date(2026, 1, 1), -1)


@given(st.dates(date(2025, 1, 1), date(2027, 12, 31)), st.integers(0, 24))
def test_months_end_properties(start: date, months: int):
    raw = corresponding_day(start, months)
    end = months_end(PACKAGE_ONLY, start, months)
    assert (raw.year * 12 + raw.month) - (start.year * 12 + start.month) == months
    assert raw.day == start.day or raw.day < start.day  # the month's last day when shorter
    assert raw <= end and PACKAGE_ONLY.is_working_day(end)
    assert all(
        not PACKAGE_ONLY.is_working_day(raw + timedelta(days=i)) for i in range((end - raw).days)
    )


def test_twenty_working_days_is_not_always_within_one_month():
    """docs/deadlines.md: the 20-working-day default ends after the legal month for 72 start
    dates of 2026 (around 春节 and 国庆), so it is not called stricter."""
    days = [date(2026, 1, 1) + timedelta(days=i) for i in range(365)]
    later = [
        d for d in days if PACKAGE_ONLY.add_working_days(d, 20) > months_end(PACKAGE_ONLY, d, 1)
    ]
    assert len(later) == 72
    assert date(2026, 2, 1) in later and date(2026, 9, 15) in later
    assert date(2026, 3, 10) not in later
