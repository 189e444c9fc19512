"""Writes of the public path: an anonymous report with its receipt code and an informant's
addition. Its rate limit: grassroots.ratelimit (in the database: every process sees it).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from grassroots.calendar.today import utc
from grassroots.db import transaction
from grassroots.leads.actions import add_event, new_lead
from grassroots.leads.models import Lead
from grassroots.leads.public.queries import default_jurisdiction
from grassroots.leads.public.schemas import PublicReport
from grassroots.leads.schemas import NewLead
from grassroots.leads.sealing import new_receipt_code, receipt_hash


def do_report(
    session: Session, data: PublicReport, now: datetime | None = None
) -> tuple[Lead, str]:
    """A resident's report: a lead received with no acting user, and its receipt code
    (returned once; only its keyed hash is stored)."""
    moment = utc(now)
    code = new_receipt_code()
    with transaction(session):
        fields = data.model_dump()
        fields["jurisdiction_code"] = data.jurisdiction_code or default_jurisdiction(session)
        anonymous = not (data.informant_name or data.informant_contact)
        lead = new_lead(session, NewLead(source="report", anonymous=anonymous, **fields),
                        None, moment)  # fmt: skip
        lead.receipt_hash = receipt_hash(code)
        add_event(session, lead, "create", None, None, details={"channel": "public"}, now=moment)
    return lead, code


def do_add_information(
    session: Session, lead: Lead, text_: str, now: datetime | None = None
) -> None:
    """An informant's addition: a timeline entry whose text is sealed (only the lead's
    verifiers read it); the state does not change."""
    with transaction(session):
        add_event(session, lead, "supplement", None, lead.state, note=text_, now=now)
