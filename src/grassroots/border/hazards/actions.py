"""Writes of 边界隐患: register, edit, move its status along the transition table. Each in one
transaction with its audit row (never the text) and, for registration and each move, an
entry of the hazard's timeline."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.border.hazards.models import BorderHazard, HazardEvent
from grassroots.border.hazards.schemas import HazardIn, StatusIn
from grassroots.border.hazards.workflow import SCREENING, may_move
from grassroots.border.meetings.actions import refused, resolve_cases, resolve_places
from grassroots.border.meetings.models import BorderMeeting
from grassroots.border.meetings.queries import meeting_scope
from grassroots.border.sealing import seal
from grassroots.db import transaction, utcnow
from grassroots.errors import Problem


def _meetings(session: Session, ids: list[int], actor: User) -> list[BorderMeeting]:
    wanted = sorted(set(ids))
    found = list(session.scalars(select(BorderMeeting).where(
        BorderMeeting.id.in_(wanted), meeting_scope(actor))))  # fmt: skip
    if len(found) != len(wanted):
        raise refused("meeting_ids", "有联席会议不存在 / an unknown meeting")
    return found


def _fill(session: Session, hazard: BorderHazard, data: HazardIn, actor: User) -> None:
    hazard.jurisdictions = resolve_places(session, data.jurisdiction_codes, actor)
    hazard.cases = resolve_cases(session, data.case_codes, actor)
    hazard.meetings = _meetings(session, data.meeting_ids, actor)
    hazard.name, hazard.kind, hazard.risk = data.name, data.kind, data.risk
    hazard.geometry, hazard.outside = data.geometry, [o.model_dump() for o in data.outside]
    hazard.description_enc = seal("description", data.description)
    hazard.measures_enc = seal("measures", data.measures)
    hazard.updated_at = utcnow()


def _audit(session: Session, hazard: BorderHazard, action: str, actor: User, **more: str) -> None:
    details = {"jurisdictions": sorted(j.code for j in hazard.jurisdictions),
               "status": hazard.status, **more}  # fmt: skip
    record_audit(session, actor=actor, action=action, object_type="border_hazard",
                 object_id=hazard.id, details=details)  # fmt: skip


def do_register_hazard(
    session: Session, data: HazardIn, *, actor: User, now: datetime | None = None
) -> BorderHazard:
    """Register a 边界隐患 (status 排查; one owning jurisdiction must be the actor's)."""
    at = now or utcnow()
    hazard = BorderHazard(created_by_id=actor.id, status=SCREENING, created_at=at)
    with transaction(session):
        _fill(session, hazard, data, actor)
        hazard.updated_at = at
        first = HazardEvent(at=at, actor_id=actor.id, from_status=None, to_status=SCREENING,
                            note_enc=seal("event_note", ""))  # fmt: skip
        hazard.events = [first]
        session.add(hazard)
        session.flush()
        _audit(session, hazard, "border.hazard_register", actor)
    return hazard


def do_update_hazard(
    session: Session, hazard: BorderHazard, data: HazardIn, *, actor: User
) -> BorderHazard:
    """Edit a hazard the actor sees (access_hazard first); the status moves separately."""
    with transaction(session):
        _fill(session, hazard, data, actor)
        session.flush()
        _audit(session, hazard, "border.hazard_update", actor)
    return hazard


def do_move_hazard(
    session: Session,
    hazard: BorderHazard,
    data: StatusIn,
    *,
    actor: User,
    now: datetime | None = None,
) -> BorderHazard:
    """Move the status along the transition table (workflow.TRANSITIONS), else 409."""
    current = hazard.status
    if not may_move(current, data.to):
        message = f"不能从 {current} 变为 {data.to} / not an allowed status change"
        raise Problem(409, "bad_transition", message)
    with transaction(session):
        at = now or utcnow()
        hazard.status, hazard.updated_at = data.to, at
        note = seal("event_note", data.note)
        hazard.events.append(HazardEvent(at=at, actor_id=actor.id, from_status=current,
                                         to_status=data.to, note_enc=note))  # fmt: skip
        session.flush()
        _audit(session, hazard, "border.hazard_status", actor, previous=current)
    return hazard
