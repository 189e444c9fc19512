"""Deadline badges people can read: which deadline, working days left or days overdue."""

from __future__ import annotations

from datetime import date

from grassroots.calendar.workdays import WorkCalendar
from grassroots.cases.labels import deadline_badge
from grassroots.cases.models import Case

CAL = WorkCalendar({}, [])  # weekends only


def test_working_days_left_and_days_overdue():
    case = Case(state="in_progress", clock_due_on=date(2026, 3, 9))  # a Monday
    assert deadline_badge(CAL, case, date(2026, 3, 5)) == ("Time to resolve", "left", 2)
    assert deadline_badge(CAL, case, date(2026, 3, 9)) == ("Time to resolve", "left", 0)
    assert deadline_badge(CAL, case, date(2026, 3, 12)) == ("Time to resolve", "late", 3)
    waiting = Case(state="registered", clock_due_on=date(2026, 3, 9))
    assert deadline_badge(CAL, waiting, date(2026, 3, 6))[0] == "Time to accept"
    assert deadline_badge(CAL, Case(state="suspended", clock_due_on=None), date(2026, 3, 6)) is None


def test_the_list_and_the_case_show_the_badge(client_as, new_case_body):
    code = client_as("wang").post("/api/v1/cases", json=new_case_body).json()["code"]
    zhao = client_as("zhao")
    assert "受理期限 · 还剩" in zhao.get("/cases", params={"queue": "to_accept"}).text
    assert "受理期限 · 还剩" in zhao.get(f"/cases/{code}").text
