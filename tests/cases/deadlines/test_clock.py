"""clock.yellow_from: the stored yellow date is exactly the first day traffic_light
(the definition of the light) shows yellow or red, on the official calendar."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from grassroots.calendar.workdays import WorkCalendar
from grassroots.cases.deadlines.clock import yellow_from
from grassroots.cases.deadlines.policies import traffic_light

CAL = WorkCalendar({}, [])  # the package's official days: holidays and make-up working days
STARTS = st.dates(min_value=date(2025, 12, 1), max_value=date(2026, 12, 31))


def first_non_green(started: date, due: date) -> date:
    """The definition, day by day: the light is monotonic, so the first change is the one."""
    day = started
    while traffic_light(CAL, started, due, day) == "green":
        day += timedelta(days=1)
    return day


@given(STARTS, st.integers(min_value=-3, max_value=70))
def test_yellow_from_is_the_first_day_the_light_is_not_green(started: date, span: int):
    due = started + timedelta(days=span)
    assert yellow_from(CAL, started, due) == first_non_green(started, due)


def test_spring_festival_2026_shifts_the_yellow_day():
    # 10 working days from Fri 2026-02-13: the holiday runs 15–23 Feb and Sat 14 and Sat 28
    # Feb are make-up working days; yellow from the 8th working day after the start.
    started = date(2026, 2, 13)
    due = CAL.add_working_days(started, 10)
    assert yellow_from(CAL, started, due) == CAL.add_working_days(started, 8)
    assert yellow_from(CAL, started, due) == first_non_green(started, due)
