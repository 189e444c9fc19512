"""The year-schedule text format: every bad line reported by number; text ↔ days round trip."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from grassroots.calendar.schedule.text import (
    BACKWARDS,
    BAD_DATE,
    BAD_FORMAT,
    DUPLICATE,
    EMPTY,
    LONG_LABEL,
    OTHER_YEAR,
    TOO_LONG,
    parse_schedule,
    schedule_text,
)
from grassroots.calendar.schemas import DayIn

GOOD = """# 国办发明电〔2026〕X号
2027-01-01..2027-01-03 元旦

2027-02-07 调休上班
2027-02-10 ~ 2027-02-11 春节
2027-04-05 清明节
"""


def test_ranges_holidays_and_make_up_days():
    parsed = parse_schedule(GOOD, 2027)
    assert parsed.ok and parsed.errors == []
    assert [(d.day.isoformat(), d.is_working, d.name) for d in parsed.days] == [
        ("2027-01-01", False, "元旦"),
        ("2027-01-02", False, "元旦"),
        ("2027-01-03", False, "元旦"),
        ("2027-02-07", True, "调休上班"),
        ("2027-02-10", False, "春节"),
        ("2027-02-11", False, "春节"),
        ("2027-04-05", False, "清明节"),
    ]


def test_every_bad_line_is_reported_with_its_number_and_nothing_kept():
    text = "\n".join(
        [
            "2027-01-01 元旦",  # 1 fine
            "2027/01/02 元旦",  # 2 format
            "2027-02-30 春节",  # 3 no such date
            "2027-02-12..2027-02-10 春节",  # 4 backwards
            "2026-12-31 元旦",  # 5 other year
            "2027-01-01 元旦",  # 6 repeats line 1
            "2027-05-01 " + "劳" * 65,  # 7 label too long
        ]
    )
    parsed = parse_schedule(text, 2027)
    found = [(e.line, e.msgid) for e in parsed.errors]
    assert found == [
        (2, BAD_FORMAT),
        (3, BAD_DATE),
        (4, BACKWARDS),
        (5, OTHER_YEAR),
        (6, DUPLICATE),
        (7, LONG_LABEL),
    ]
    assert not parsed.ok
    assert parsed.errors[1].arg == "2027-02-30" and parsed.errors[4].arg == "2027-01-01"


def test_empty_text_is_an_error():
    assert [e.msgid for e in parse_schedule("# only a comment\n\n", 2027).errors] == [EMPTY]


def test_a_text_longer_than_any_year_is_refused_whole():
    text = "2027-01-01 元旦\n" * 2000
    assert [e.msgid for e in parse_schedule(text, 2027).errors] == [TOO_LONG]


def test_working_markers():
    parsed = parse_schedule("2027-02-07 班 春节调休\n2027-09-26 work\n2027-10-01 国庆节", 2027)
    assert [d.is_working for d in parsed.days] == [True, True, False]


LABELS = {False: ["元旦", "春节", "国庆节", ""], True: ["调休上班", "上班 春节"]}


@st.composite
def schedules(draw: st.DrawFn) -> list[DayIn]:
    offsets = draw(st.sets(st.integers(0, 364), min_size=1, max_size=40))
    days = []
    for offset in sorted(offsets):
        working = draw(st.booleans())
        name = draw(st.sampled_from(LABELS[working]))
        days.append(
            DayIn(day=date(2027, 1, 1) + timedelta(days=offset), is_working=working, name=name)
        )
    return days


@given(schedules())
def test_text_round_trip(days: list[DayIn]) -> None:
    """What the page shows for a year's entries parses back to exactly those entries."""
    parsed = parse_schedule(schedule_text(days), 2027)
    assert parsed.errors == [] and parsed.days == days
