"""Every deadline change and level change is a timeline entry showing the old and the new
due date: escalation, extension, suspension and resumption, a calendar change, an edit —
through the real actions, and on the case page."""

from __future__ import annotations

from datetime import date

from grassroots.calendar.actions import do_set_year_schedule
from grassroots.cases import schemas as s
from grassroots.cases.actions import do_escalate, do_extend, do_resume, do_suspend
from grassroots.cases.deadlines import recompute as recompute  # registers the hook
from grassroots.cases.models import CaseEvent
from grassroots.cases.workflow.transitions import replay
from tests.cases.deadlines.test_recompute import DAYS, at, cases  # noqa: F401  (a fixture)


def last_event(case) -> CaseEvent:  # type: ignore[no-untyped-def]
    return case.events[-1]


def test_escalation_extension_suspension_resumption(session, users, cases):  # noqa: F811
    moving, _ = cases
    zhao, chen = users["zhao"], users["chen"]
    due = moving.resolve_due
    case = do_extend(session, moving.code, s.Extend(days=5, approved_by="陈国栋", reason="鉴定",
                     parties_consent=True), actor=zhao, now=at(date(2026, 9, 23)))  # fmt: skip
    moved = last_event(case).details["deadline_change"]
    assert moved == {"deadline": "resolve_due", "old": due.isoformat(),
                     "new": case.resolve_due.isoformat()}  # fmt: skip
    assert case.resolve_due > due
    due = case.resolve_due
    case = do_suspend(session, moving.code, s.Suspend(reason="住院"), actor=zhao,
                      now=at(date(2026, 9, 25)))  # fmt: skip
    moved = last_event(case).details["deadline_change"]
    assert moved == {"deadline": "resolve_due", "old": due.isoformat(), "new": due.isoformat(),
                     "paused": True}  # fmt: skip
    case = do_resume(session, moving.code, s.Resume(), actor=zhao, now=at(date(2026, 10, 12)))
    moved = last_event(case).details["deadline_change"]
    assert moved["resumed"] is True and moved["old"] == due.isoformat()
    assert moved["new"] == case.resolve_due.isoformat() and case.resolve_due > due
    due = case.resolve_due
    case = do_escalate(session, moving.code, s.Escalate(reason="涉及两村"), actor=chen,
                       now=at(date(2026, 10, 13)))  # fmt: skip
    details = last_event(case).details
    assert (details["from_level"], details["to_level"]) == ("village", "township")
    assert details["deadline_change"]["old"] == due.isoformat()
    assert details["deadline_change"]["new"] == case.resolve_due.isoformat()


def test_a_calendar_change_is_on_the_timeline(session, users, cases):  # noqa: F811
    moving, staying = cases
    old_due, version = moving.resolve_due, moving.version
    do_set_year_schedule(session, 2026, "测试通知", DAYS, actor=users["admin"])
    session.refresh(moving)
    event = last_event(moving)
    assert event.action == "recompute" and event.from_state == event.to_state == "in_progress"
    assert event.details["deadline_change"] == {
        "deadline": "resolve_due", "old": old_due.isoformat(),
        "new": moving.resolve_due.isoformat()}  # fmt: skip
    assert moving.version == version + 1 == replay(moving.events).steps
    session.refresh(staying)
    assert all(e.action != "recompute" for e in staying.events)


def test_the_case_page_shows_old_and_new_due_dates(session, client_as, case_in):
    code, version = case_in("in_progress")
    zhao = client_as("zhao")
    before = zhao.get(f"/api/v1/cases/{code}").json()["resolve_due"]
    body = {"expected_version": version, "days": 5, "approved_by": "陈国栋", "reason": "鉴定",
            "parties_consent": True}  # fmt: skip
    r = zhao.post(f"/api/v1/cases/{code}/actions/extend", json=body)
    assert r.status_code == 200, r.text
    r = zhao.post(f"/api/v1/cases/{code}/actions/escalate",
                  json={"expected_version": r.json()["version"], "reason": "涉及两村"})  # fmt: skip
    assert r.status_code == 200, r.text
    after = zhao.get(f"/api/v1/cases/{code}/timeline").json()[-2]["details"]["deadline_change"]
    assert after["old"] == before and after["new"] > before
    page = zhao.get(f"/cases/{code}").text
    assert f"{before} → {after['new']}" in page
    assert page.count('class="is-size-7 level-change"') == 1
