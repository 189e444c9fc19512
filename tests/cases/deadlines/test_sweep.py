"""The deadline sweep on a real committed database (SQLite and PostgreSQL): it flags yellow
and red cases with a 督办 event, escalates overdue ones where the policy says so, as the user
`system`, and running it again changes nothing."""

from __future__ import annotations

from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from grassroots.calendar.workdays import WorkCalendar
from grassroots.cases.deadlines.jobs import sweep_deadlines
from grassroots.cases.deadlines.models import DeadlinePolicy, SweepMark
from grassroots.cases.workflow.transitions import replay
from tests.cases.sweep_support import at, case_by_code, count, events_of, seeded, village_case

CAL = WorkCalendar({}, [])


def test_an_overdue_village_case_is_escalated_once_by_system(fresh_engine: Engine):
    users = seeded(fresh_engine)
    with Session(fresh_engine, expire_on_commit=False) as session:
        code = village_case(session, users, "2026-03-02")
        due = case_by_code(session, code).resolve_due
        assert due == CAL.add_working_days(CAL.next_working_day(at("2026-03-02").date()), 20)

    first = sweep_deadlines(fresh_engine, at("2026-04-15"))
    assert first["escalated"] == 1 and first["red"] == 1

    with Session(fresh_engine) as session:
        case = case_by_code(session, code)
        assert (case.level, case.state, case.escalation_count) == ("township", "accepted", 1)
        [escalation] = events_of(session, code, "escalate")
        assert escalation.actor_id == users["system"].id
        assert "自动上报" in escalation.details["reason"]
        assert case.resolve_due is not None and case.resolve_due > at("2026-04-15").date()
        assert count(session, SweepMark) == 1

    again = sweep_deadlines(fresh_engine, at("2026-04-15", 6))
    assert again["escalated"] == 0 and again["red"] == 0
    with Session(fresh_engine) as session:
        assert case_by_code(session, code).escalation_count == 1
        assert count(session, SweepMark) == 1


def test_yellow_then_red_flags_once_each_without_auto_escalation(fresh_engine: Engine):
    users = seeded(fresh_engine)
    with Session(fresh_engine, expire_on_commit=False) as session:
        session.execute(update(DeadlinePolicy).values(auto_escalate=False))
        session.commit()
        code = village_case(session, users, "2026-03-02")
        version = case_by_code(session, code).version
        due = case_by_code(session, code).resolve_due
        yellow_on = case_by_code(session, code).clock_yellow_on
    assert due is not None and yellow_on is not None

    assert sweep_deadlines(fresh_engine, at(yellow_on.isoformat()))["yellow"] == 1
    assert sweep_deadlines(fresh_engine, at(yellow_on.isoformat(), 8))["yellow"] == 0
    after_due = CAL.add_working_days(due, 1).isoformat()
    red = sweep_deadlines(fresh_engine, at(after_due))
    assert (red["red"], red["escalated"]) == (1, 0)
    assert sweep_deadlines(fresh_engine, at(after_due, 9))["already_done"] == 1

    with Session(fresh_engine) as session:
        flags = events_of(session, code, "supervise")
        assert [f.details["signal"] for f in flags] == ["yellow", "red"]
        assert all(f.actor_id == users["system"].id for f in flags)
        assert all(f.from_state == f.to_state == "accepted" for f in flags)
        case = case_by_code(session, code)
        assert case.version == version  # a flag never conflicts with someone's edit
        assert case.level == "village"
        replayed = replay(events_of(session, code))  # the 督办 notes keep the state
        assert (replayed.state, replayed.steps) == (case.state, case.version)


def test_unaccepted_and_green_cases(fresh_engine: Engine):
    users = seeded(fresh_engine)
    with Session(fresh_engine, expire_on_commit=False) as session:
        waiting = village_case(session, users, "2026-03-02", accept=False)
        fresh = village_case(session, users, "2026-04-14")
    summary = sweep_deadlines(fresh_engine, at("2026-04-15"))
    assert (summary["red"], summary["escalated"], summary["candidates"]) == (1, 0, 1)
    with Session(fresh_engine) as session:
        [flag] = events_of(session, waiting, "supervise")
        assert flag.details["deadline"] == "accept" and "受理" in flag.note
        assert events_of(session, fresh, "supervise") == []


def test_violence_risk_case_goes_up_sooner(fresh_engine: Engine):
    users = seeded(fresh_engine)
    with Session(fresh_engine, expire_on_commit=False) as session:
        risky = village_case(session, users, "2026-03-02", violence_risk=True)
        plain = village_case(session, users, "2026-03-02")
    sweep_deadlines(fresh_engine, at("2026-03-12"))  # 8 working days later
    with Session(fresh_engine) as session:
        assert case_by_code(session, risky).level == "township"
        assert case_by_code(session, plain).level == "village"


def test_nothing_to_do_on_an_empty_database(fresh_engine: Engine):
    summary = sweep_deadlines(fresh_engine, at("2026-04-15"))
    assert summary["candidates"] == 0 and summary["errors"] == []


def test_an_unaccepted_case_is_reminded_again_each_working_day(fresh_engine: Engine):
    users = seeded(fresh_engine)
    with Session(fresh_engine, expire_on_commit=False) as session:
        waiting = village_case(session, users, "2026-03-02", accept=False)
        due = case_by_code(session, waiting).accept_due
    assert due is not None
    days = [CAL.add_working_days(due, n).isoformat() for n in (1, 2, 3)]
    assert sweep_deadlines(fresh_engine, at(days[0]))["red"] == 1
    assert sweep_deadlines(fresh_engine, at(days[1]))["red"] == 1  # reminded again
    assert sweep_deadlines(fresh_engine, at(days[1], 9))["already_done"] == 1
    assert sweep_deadlines(fresh_engine, at(days[2]))["red"] == 1
    with Session(fresh_engine) as session:
        flags = events_of(session, waiting, "supervise")
        assert [f.details["signal"] for f in flags] == ["red", "remind-2", "remind-3"]
        assert "再次督办" in flags[-1].note and "3 个工作日" in flags[-1].note
        assert case_by_code(session, waiting).state == "registered"
