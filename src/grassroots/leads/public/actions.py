"""Writes of the public path: an anonymous report with its receipt code, an informant's
addition, and the hits of the rate limit (kept in the database: every process sees them).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from grassroots.calendar.today import utc
from grassroots.crypto import keyring
from grassroots.db import transaction
from grassroots.leads.actions import add_event, new_lead
from grassroots.leads.models import Lead, PublicHit
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


def client_key(address: str) -> str:
    """A keyed hash of the client's address: the hits table holds no address."""
    key = keyring().for_usage("lead-public").index_key
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()


def do_count_hit(
    session: Session, bucket: str, address: str, limit: int, window: float,
    now: datetime | None = None,
) -> float | None:  # fmt: skip
    """Count one request of `address`; None if allowed, else the seconds until one is. Old
    hits are deleted on the way. On PostgreSQL a transaction lock per client serialises
    two processes counting the same client."""
    moment, client = utc(now), client_key(address)
    since = moment - timedelta(seconds=window)
    with transaction(session):
        if session.get_bind().dialect.name == "postgresql":
            lock = int(client[:15], 16)
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock})
        # Only this bucket's old hits: buckets keep windows of their own (an hour of
        # report hits must outlive a minute's window of another bucket).
        session.execute(delete(PublicHit).where(PublicHit.bucket == bucket, PublicHit.at < since))
        hits = session.execute(
            select(func.count(), func.min(PublicHit.at)).where(
                PublicHit.bucket == bucket, PublicHit.client == client, PublicHit.at >= since
            )
        ).one()
        if hits[0] >= limit:
            return max((hits[1] + timedelta(seconds=window) - moment).total_seconds(), 0.0)
        session.add(PublicHit(bucket=bucket, client=client, at=moment))
    return None
