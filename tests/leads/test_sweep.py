"""A lead handed down with a deadline that passes is supervised on the first working day
late and escalated to the level above after three working days late; the sweep is
idempotent (a second run does nothing)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from grassroots.jobs.registry import run_jobs
from grassroots.leads.actions import do_create
from grassroots.leads.jobs import sweep_leads
from grassroots.leads.models import Lead, LeadEvent
from grassroots.leads.schemas import NewLead
from tests.cases.sweep_support import seeded, user
from tests.leads.conftest import TOWNSHIP, handed_down


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=2, tzinfo=UTC)  # 10:00 in China


def test_overdue_then_escalated_on_working_days(fresh_engine: Engine):
    seeded(fresh_engine)
    with Session(fresh_engine, expire_on_commit=False) as session:
        body = handed_down(received_on="2026-09-21", due_on="2026-09-30")
        lead = do_create(
            session, NewLead(**body), actor=user(session, "qian"), now=at("2026-09-21")
        )
        code = lead.code
    # 10-01..07 are holidays: not a working day late yet
    assert sweep_leads(fresh_engine, at("2026-10-07"))["overdue"] == 0
    assert sweep_leads(fresh_engine, at("2026-10-08")) == {
        "candidates": 1, "overdue": 1, "escalated": 0, "already_done": 0,
    }  # fmt: skip
    assert sweep_leads(fresh_engine, at("2026-10-08"))["overdue"] == 0  # idempotent
    assert sweep_leads(fresh_engine, at("2026-10-09"))["escalated"] == 0  # 2 working days late
    # Saturday 10-10 is a make-up working day: three working days late
    outcomes = run_jobs(fresh_engine, at("2026-10-10"), only=["lead_sweep"])
    assert outcomes[0].ok and outcomes[0].summary["escalated"] == 1
    assert sweep_leads(fresh_engine, at("2026-10-12"))["escalated"] == 0
    with Session(fresh_engine) as session:
        lead = session.scalars(select(Lead).where(Lead.code == code)).one()
        assert lead.overdue_since == date(2026, 10, 8)
        assert lead.escalated_to == "990101000000" and lead.jurisdiction_code == TOWNSHIP
        events = session.scalars(
            select(LeadEvent.action).where(LeadEvent.lead_id == lead.id).order_by(LeadEvent.id)
        )
        assert list(events) == ["create", "overdue", "escalate"]


def test_a_verified_lead_is_not_swept(fresh_engine: Engine):
    seeded(fresh_engine)
    with Session(fresh_engine, expire_on_commit=False) as session:
        body = handed_down(received_on="2026-09-21", due_on="2026-09-30")
        lead = do_create(
            session, NewLead(**body), actor=user(session, "qian"), now=at("2026-09-21")
        )
        lead.state = "verified"
        session.commit()
    assert sweep_leads(fresh_engine, at("2026-10-20"))["candidates"] == 0
