"""Writes of 边界联席会议: record a meeting, edit it (its decisions replaced, done or not).
Each in one transaction with its audit row (never the text: it may name people)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.border.meetings.models import BorderDecision, BorderMeeting
from grassroots.border.meetings.schemas import MeetingIn
from grassroots.border.sealing import seal
from grassroots.cases.models import Case
from grassroots.cases.queries import case_scope
from grassroots.db import transaction, utcnow
from grassroots.errors import Problem
from grassroots.geo.models import Jurisdiction
from grassroots.scope import in_subtree


def refused(field: str, message: str) -> Problem:
    return Problem(422, "invalid_input", message, errors=[{"field": field, "message": message}])


def resolve_places(session: Session, codes: list[str], actor: User) -> list[Jurisdiction]:
    """The current jurisdictions `codes`, one of them in the actor's subtree (else 422)."""
    codes = sorted(set(codes))
    found = list(session.scalars(select(Jurisdiction).where(
        Jurisdiction.code.in_(codes), Jurisdiction.valid_to.is_(None))))  # fmt: skip
    if len(found) != len(codes):
        raise refused("jurisdiction_codes", "有区划不存在 / an unknown jurisdiction")
    if not any(in_subtree(actor, j.code) for j in found):
        raise refused("jurisdiction_codes",
                       "区划中至少要有一个在您的辖区内 / include one of your own")  # fmt: skip
    return found


def resolve_cases(session: Session, codes: list[str], actor: User) -> list[Case]:
    """The cases `codes`: each one the actor may see (else refused as unknown)."""
    codes = sorted(set(codes))
    if not codes:
        return []
    found = list(session.scalars(select(Case).where(Case.code.in_(codes), case_scope(actor))))
    if len(found) != len(codes):
        raise refused("case_codes", "有案件编号不存在 / an unknown case code")
    return found


def _fill(session: Session, meeting: BorderMeeting, data: MeetingIn, actor: User) -> None:
    meeting.jurisdictions = resolve_places(session, data.jurisdiction_codes, actor)
    meeting.cases = resolve_cases(session, data.case_codes, actor)
    meeting.held_on, meeting.place = data.held_on, data.place
    meeting.outside = [o.model_dump() for o in data.outside]
    meeting.topics_enc, meeting.notes_enc = seal("topics", data.topics), seal("notes", data.notes)
    meeting.decisions = [
        BorderDecision(text_enc=seal("decision", d.text), owner=d.owner, due_on=d.due_on,
                       done=d.done) for d in data.decisions
    ]  # fmt: skip
    meeting.updated_at = utcnow()


def _audit(session: Session, meeting: BorderMeeting, action: str, actor: User) -> None:
    details = {"jurisdictions": sorted(j.code for j in meeting.jurisdictions),
               "cases": len(meeting.cases), "decisions": len(meeting.decisions)}  # fmt: skip
    record_audit(session, actor=actor, action=action, object_type="border_meeting",
                 object_id=meeting.id, details=details)  # fmt: skip


def do_create_meeting(session: Session, data: MeetingIn, *, actor: User) -> BorderMeeting:
    """Record a 边界联席会议 (one of its jurisdictions must be the actor's)."""
    meeting = BorderMeeting(created_by_id=actor.id)
    with transaction(session):
        _fill(session, meeting, data, actor)
        session.add(meeting)
        session.flush()
        _audit(session, meeting, "border.meeting_create", actor)
    return meeting


def do_update_meeting(
    session: Session, meeting: BorderMeeting, data: MeetingIn, *, actor: User
) -> BorderMeeting:
    """Edit a meeting the actor sees (access_meeting first); the decisions are replaced."""
    with transaction(session):
        _fill(session, meeting, data, actor)
        session.flush()
        _audit(session, meeting, "border.meeting_update", actor)
    return meeting
