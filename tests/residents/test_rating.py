"""After resolution the resident rates the outcome once per resolution; 不满意 within the
window reopens the case (返工) through the workflow, outside it only counts; the progress
never shows a staff name, another party or an internal note."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from grassroots.accounts.models import User
from grassroots.audit.models import AuditEntry
from grassroots.cases import schemas as s
from grassroots.cases.actions import run_action
from grassroots.cases.models import Case, CaseEvent
from tests.residents.conftest import PUBLIC, make_app, proof


def _reported(client: TestClient, body: dict) -> str:
    r = client.post(
        f"{PUBLIC}/reports",
        json=body
        | {"name": "张三", "phone": "13800138000", "consent": True, "proof": proof(client)},
    )
    assert r.status_code == 201, r.text
    return str(r.json()["receipt_code"])


def _case(session: Session) -> Case:
    session.expire_all()
    return session.scalars(select(Case).order_by(Case.id.desc())).first()  # type: ignore[return-value]


def _resolve(session: Session, users: dict[str, User], code: str, first: bool = True) -> None:
    zhao = users["zhao"]
    village = _case(session).village_code
    if first:
        run_action(session, code, "accept", s.Accept(), actor=zhao)
        run_action(session, code, "assign", s.Assign(unit_code=f"{village}-mediation"), actor=zhao)
    run_action(session, code, "record_session",
               s.RecordSession(held_on=_today(), summary="内部记录：赵强与对方李四面谈"),
               actor=zhao)  # fmt: skip
    run_action(session, code, "resolve", s.Resolve(outcome_note="内部：赔偿两千元"), actor=zhao)


def _today():  # type: ignore[no-untyped-def]
    from grassroots.calendar.today import china_today

    return china_today()


def _look(client: TestClient, receipt: str) -> dict:
    r = client.post(f"{PUBLIC}/reports/lookup", json={"receipt_code": receipt})
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_unsatisfied_reopens_then_rates_again(client, session, users, report_body):
    receipt = _reported(client, report_body())
    case = _case(session)
    early = client.post(f"{PUBLIC}/reports/rating", json={"receipt_code": receipt,
                                                            "rating": "satisfied"})  # fmt: skip
    assert early.status_code == 409
    _resolve(session, users, case.code)
    shown = _look(client, receipt)
    assert shown["state"] == "resolved" and shown["may_rate"] and shown["reopen_until"]
    for secret in ("赵强", "李四", "赔偿两千元", "内部", "张三", "13800138000", "zhao", case.code):
        assert secret not in str(shown)
    r = client.post(f"{PUBLIC}/reports/rating", json={
        "receipt_code": receipt, "rating": "unsatisfied", "comment": "墙还是裂的"})  # fmt: skip
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "in_progress" and r.json()["may_rate"] is False
    case = _case(session)
    assert case.state == "in_progress" and case.reopen_count == 1
    reopen = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.action == "reopen")
    ).one()
    assert "墙还是裂的" in reopen.details["reason"]
    assert session.get_one(User, reopen.actor_id).username == "residents"
    _resolve(session, users, case.code, first=False)
    again = client.post(f"{PUBLIC}/reports/rating", json={"receipt_code": receipt,
                                                           "rating": "satisfied"})  # fmt: skip
    assert again.status_code == 200 and again.json()["rating"] == "satisfied"
    twice = client.post(f"{PUBLIC}/reports/rating", json={"receipt_code": receipt,
                                                           "rating": "unsatisfied"})  # fmt: skip
    assert twice.status_code == 409 and twice.json()["code"] == "already_rated"
    assert _case(session).resident_rating == "satisfied"
    rated = session.scalars(select(AuditEntry).where(AuditEntry.action == "case.resident_rate"))
    assert len(rated.all()) == 2


def test_outside_the_window_unsatisfied_only_counts(
    engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path, session: Session,
    users, report_body,
) -> None:  # fmt: skip
    app = make_app(engine, session_factory, tmp_path, public_reopen_days=0)
    with TestClient(app) as client:
        receipt = _reported(client, report_body())
        _resolve(session, users, _case(session).code)
        assert _look(client, receipt)["reopen_until"] is None
        r = client.post(f"{PUBLIC}/reports/rating", json={"receipt_code": receipt,
                                                           "rating": "unsatisfied"})  # fmt: skip
        assert r.status_code == 200 and r.json()["state"] == "resolved"
    case = _case(session)
    assert case.state == "resolved" and case.resident_rating == "unsatisfied"


def test_spam_is_marked_by_staff_only_on_residents_reports(client, client_as, session,
                                                           report_body):  # fmt: skip
    receipt = _reported(client, report_body())
    case = _case(session)
    zhao = client_as("zhao")
    body = {"expected_version": case.version, "reason": "广告信息"}
    assert client_as("wang").post(f"/api/v1/cases/{case.code}/actions/mark_spam",
                                  json=body).status_code == 403  # fmt: skip
    r = zhao.post(f"/api/v1/cases/{case.code}/actions/mark_spam", json=body)
    assert r.status_code == 200, r.text
    assert _case(session).spam is True
    shown = _look(client, receipt)
    assert shown["state"] == "spam" and "广告信息" not in str(shown)
    audit = session.scalars(
        select(AuditEntry).where(
            AuditEntry.object_id == case.code, AuditEntry.action.like("%mark_spam%")
        )
    )
    assert audit.first() is not None
