"""矛盾上交: a case held at city level is carried to its end by the centre of its own county
(relation "relay"): the city's reply, then resolve / terminate, follow-up, close — all on
the timeline; nobody else gains anything, and the sweep flags it but never escalates it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases import schemas as s
from grassroots.cases.actions import do_accept, do_escalate, do_register, run_action
from grassroots.cases.deadlines.jobs import sweep_case
from grassroots.cases.models import Case, CaseEvent
from grassroots.cases.workflow.transitions import replay
from grassroots.errors import Problem
from tests.cases.conftest import act, grid_in

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
FOLLOW_UP = s.FollowUp(performance="performed", satisfaction="satisfied", remaining_risk="none")


def _escalated(session: Session, users: dict[str, User], up_to: str = "city") -> str:
    body = s.NewCase(
        category_code="land_requisition", source_code="visit", title="跨县征地补偿纠纷",
        description="涉及相邻两县的征地补偿标准", grid_code=grid_in(session, users["wang"]),
    )  # fmt: skip
    code = do_register(session, body, actor=users["wang"], now=START).code
    do_accept(session, code, s.Accept(), actor=users["zhao"], now=START)
    for who in ("zhao", "zhao", "qian")[: ("township", "county", "city").index(up_to) + 1]:
        do_escalate(session, code, s.Escalate(reason="难以化解，上报"), actor=users[who], now=START)
    return code


def _do(session: Session, users: dict[str, User], who: str, code: str, action: str,
        params: s.ActionInput, days: int = 1) -> Case:  # fmt: skip
    return run_action(session, code, action, params, actor=users[who],
                      now=START + timedelta(days=days))  # fmt: skip


def _refused(session: Session, users: dict[str, User], who: str, code: str, action: str,
             params: s.ActionInput) -> str:  # fmt: skip
    before = session.scalars(select(Case.version).where(Case.code == code)).one()
    with pytest.raises(Problem) as caught:
        _do(session, users, who, code, action, params)
    session.expire_all()
    assert session.scalars(select(Case.version).where(Case.code == code)).one() == before
    return caught.value.code


def _timeline(session: Session, code: str) -> list[CaseEvent]:
    case_id = session.scalars(select(Case.id).where(Case.code == code)).one()
    query = select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
    return list(session.scalars(query))


def test_the_county_centre_records_the_reply_and_ends_the_case(session, users):
    code = _escalated(session, users)
    reply = s.CityReply(reply="市调处中心协调后双方同意按市定标准补偿", replied_on=date(2026, 3, 2))
    case = _do(session, users, "qian", code, "city_reply", reply)
    assert (case.state, case.level) == ("in_progress", "city")
    case = _do(session, users, "chen", code, "resolve", s.Resolve(outcome_note="按市级答复化解"), 3)
    assert (case.state, case.resolved_level, case.outcome) == ("resolved", "city", "resolved")
    _do(session, users, "qian", code, "follow_up", FOLLOW_UP, 6)
    case = _do(session, users, "qian", code, "close", s.Close(), 7)
    assert case.state == "closed"
    events = _timeline(session, code)
    assert [e.action for e in events][-4:] == ["city_reply", "resolve", "follow_up", "close"]
    noted = events[-4]
    assert noted.level == "city" and noted.details["replied_on"] == "2026-03-02"
    assert noted.details["reply"] == reply.reply
    assert replay(events).state == "closed"


def test_a_city_reply_may_end_the_mediation(session, users):
    code = _escalated(session, users)
    _do(session, users, "chen", code, "city_reply", s.CityReply(reply="属法院受理范围"))
    ending = s.Terminate(reason="按市级答复意见终止调解", routes_told=["litigation"])
    assert _do(session, users, "qian", code, "terminate", ending, 2).state == "terminated"


def test_only_the_county_centre_relays_and_it_does_not_route(session, users):
    code = _escalated(session, users)
    reply = s.CityReply(reply="市里答复")
    assert _refused(session, users, "zhao", code, "city_reply", reply) == "not_case_handler"
    assert _refused(session, users, "zhou", code, "city_reply", reply) == "not_case_handler"
    assert _refused(session, users, "wang", code, "city_reply", reply) == "role_not_allowed"
    resolve = s.Resolve(outcome_note="未经答复")
    assert _refused(session, users, "qian", code, "resolve", resolve) == "transition_not_allowed"
    for action, params in [
        ("assign", s.Assign(unit_code="990101-mediation")),
        ("escalate", s.Escalate(reason="再上报")),
        ("refer_down", s.ReferDown(reason="退回县里")),
        ("extend", s.Extend(days=5, approved_by="陈国栋", reason="等待")),
    ]:
        assert _refused(session, users, "qian", code, action, params) == "not_case_handler"
    future = s.CityReply(reply="市里答复", replied_on=date(2026, 4, 1))
    assert _refused(session, users, "qian", code, "city_reply", future) == "invalid_date"


def test_no_city_reply_below_the_city(session, users):
    code = _escalated(session, users, up_to="county")  # qian holds it at county level
    reply = s.CityReply(reply="市里答复")
    assert _refused(session, users, "qian", code, "city_reply", reply) == "not_at_city_level"


def test_the_sweep_flags_a_city_case_but_never_escalates_it(session, users):
    code = _escalated(session, users)
    case = session.scalars(select(Case).where(Case.code == code)).one()
    due = case.clock_due_on
    assert due is not None
    late = datetime(due.year, due.month, due.day, 3, 0, tzinfo=UTC) + timedelta(days=2)
    outcome = sweep_case(session, case.id, users["system"], late, due + timedelta(days=2))
    assert outcome == "red"
    session.expire_all()
    case = session.scalars(select(Case).where(Case.code == code)).one()
    assert (case.level, case.state) == ("city", "accepted")
    assert _timeline(session, code)[-1].action == "supervise"


def test_over_http_the_county_centre_is_offered_the_reply(session, users, client_as):
    code = _escalated(session, users)
    qian = client_as("qian")
    offered = [a["action"] for a in qian.get(f"/api/v1/cases/{code}/actions").json()]
    assert offered == ["city_reply"]
    page = qian.get(f"/cases/{code}")
    assert page.status_code == 200 and "记录市级答复" in page.text
    version = qian.get(f"/api/v1/cases/{code}").json()["version"]
    done = act(qian, code, "city_reply", version, reply="市里答复：按市定标准补偿")
    assert done.status_code == 200, done.text
    assert done.json()["state"] == "in_progress" and done.json()["level"] == "city"
    assert set(done.json()["allowed_actions"]) == {"city_reply", "resolve", "terminate"}
    assert client_as("zhao").get(f"/api/v1/cases/{code}/actions").json() == []
