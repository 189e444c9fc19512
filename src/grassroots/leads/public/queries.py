"""Reads of the public path: the lead behind a receipt code, and its progress."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.calendar.today import local_date
from grassroots.errors import Problem
from grassroots.geo.models import Jurisdiction, Level
from grassroots.leads.models import Lead, LeadEvent, LeadState
from grassroots.leads.public.schemas import ProgressOut, Step
from grassroots.leads.sealing import receipt_hash

# The states an informant sees a finding in (the verification itself stays inside).
FINDING_SHOWN = frozenset({LeadState.verified, LeadState.replied, LeadState.closed})


def lead_by_receipt(session: Session, code: str) -> Lead:
    lead = session.scalar(select(Lead).where(Lead.receipt_hash == receipt_hash(code)))
    if lead is None:
        raise Problem(404, "not_found", "查询码无效 / unknown receipt code")
    return lead


def default_jurisdiction(session: Session) -> str:
    """Where a report that names no place goes: the deployment's one county."""
    codes = list(session.scalars(
        select(Jurisdiction.code).where(
            Jurisdiction.level == Level.county.value, Jurisdiction.valid_to.is_(None)
        ).limit(2)
    ))  # fmt: skip
    if len(codes) != 1:
        raise Problem(422, "jurisdiction_required", "请选择所在乡镇 / jurisdiction_code required")
    return codes[0]


def progress(session: Session, lead: Lead) -> ProgressOut:
    """The state and its days, the finding once verified; never notes, units or people."""
    events = session.scalars(
        select(LeadEvent).where(LeadEvent.lead_id == lead.id).order_by(LeadEvent.id)
    ).all()
    steps: list[Step] = []
    for e in events:
        if e.action != "supplement" and (not steps or steps[-1].state != e.to_state):
            steps.append(Step(state=e.to_state, on=local_date(e.at)))
    return ProgressOut(
        received_on=lead.received_on, due_on=lead.due_on, state=lead.state,
        finding=lead.finding if lead.state in FINDING_SHOWN else None,
        replied_on=lead.replied_on, steps=steps,
        additions=sum(e.action == "supplement" for e in events),
    )  # fmt: skip
