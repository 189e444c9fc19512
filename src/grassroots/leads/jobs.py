"""The leads overdue sweep (线索核查超期督办), like the case deadline sweep: a lead still
owing its verification is flagged on the first working day past its deadline (an "overdue"
event, overdue_since set) and escalated to the jurisdiction above once it is
ESCALATE_AFTER_DAYS working days late (an "escalate" event, escalated_to set: the level
above sees it among its supervised leads).

Idempotent: each signal is a mark (lead × due day × signal, unique) written in the same
transaction as its event, so a second run, or a second process, finds it and does nothing.
Each lead is handled in its own transaction (BEGIN IMMEDIATE on SQLite).
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from grassroots.accounts.models import Role, User
from grassroots.calendar.today import china_today
from grassroots.calendar.workdays import load_calendar
from grassroots.db import make_session_factory, utcnow, writer_engine
from grassroots.geo.models import Jurisdiction
from grassroots.leads.actions import add_event
from grassroots.leads.models import UNVERIFIED_STATES, Lead, LeadSweepMark
from grassroots.leads.workflow import ESCALATE_AFTER_DAYS
from grassroots.scope import current_jurisdiction

log = logging.getLogger(__name__)


def sweep_leads(engine: Engine, now: datetime | None = None) -> dict[str, Any]:
    """Run the sweep once (the job `lead_sweep` in grassroots.jobs.registry). Returns a summary."""
    moment = now or utcnow()
    today = china_today(moment)
    summary = {"candidates": 0, "overdue": 0, "escalated": 0, "already_done": 0}
    sessions = make_session_factory(writer_engine(engine))
    with sessions() as session:
        ids = list(session.scalars(
            select(Lead.id).where(Lead.state.in_(UNVERIFIED_STATES), Lead.due_on < today)
            .order_by(Lead.id)
        ))  # fmt: skip
        system = session.scalar(select(User).where(User.role == Role.system.value))
        if system is None or not ids:
            return summary
        session.expunge(system)
    summary["candidates"] = len(ids)
    for lead_id in ids:
        with sessions() as session:
            session.add(system)
            outcome = sweep_lead(session, lead_id, system, moment, today)
        summary[outcome] = summary.get(outcome, 0) + 1
    return summary


def signal_for(session: Session, lead: Lead, today: date) -> str | None:
    """ "escalate", "overdue" or None: what the lead shows today, on working days."""
    if lead.state not in UNVERIFIED_STATES or lead.due_on >= today:
        return None
    late = load_calendar(session).working_days_between(lead.due_on, today)
    if late >= ESCALATE_AFTER_DAYS and lead.escalated_to is None:
        return "escalate"
    if late >= 1 and lead.overdue_since is None:
        return "overdue"
    return None


def sweep_lead(session: Session, lead_id: int, system: User, moment: datetime, today: date) -> str:
    """One lead, one transaction: "overdue", "escalated", "already_done" or "none"."""
    lead = session.get(Lead, lead_id)
    signal = signal_for(session, lead, today) if lead is not None else None
    if lead is None or signal is None:
        return "none"
    if session.scalar(select(LeadSweepMark.id).where(
        LeadSweepMark.lead_id == lead_id, LeadSweepMark.due == lead.due_on,
        LeadSweepMark.signal == signal,
    )) is not None:  # fmt: skip
        return "already_done"
    try:
        session.add(LeadSweepMark(lead_id=lead_id, due=lead.due_on, signal=signal, at=moment))
        _apply(session, lead, signal, system, moment, today)
        session.commit()
    except IntegrityError:  # another process marked it between our read and our write
        session.rollback()
        return "already_done"
    return "escalated" if signal == "escalate" else "overdue"


def _apply(
    session: Session, lead: Lead, signal: str, system: User, moment: datetime, today: date
) -> None:
    lead.overdue_since = lead.overdue_since or today
    details: dict[str, Any] = {"due_on": str(lead.due_on)}
    if signal == "escalate":
        lead.escalated_to = _parent_code(session, lead.jurisdiction_code)
        details["escalated_to"] = lead.escalated_to
    note = f"超过核查期限（{lead.due_on.isoformat()}），系统督办"
    add_event(session, lead, signal, system, lead.state, note, details, moment)


def _parent_code(session: Session, code: str) -> str:
    node = current_jurisdiction(session, code)
    parent = session.get(Jurisdiction, node.parent_id) if node and node.parent_id else None
    return parent.code if parent is not None else code
