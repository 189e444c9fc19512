"""Reads of 边界联席会议: the one access function, the list, the views and the choices.

Who sees a meeting: a user whose subtree (grassroots.scope) contains any of its participating
jurisdictions — the county centre sees every meeting of its townships, a township centre the
meetings its township took part in. Anyone else is refused exactly as for a missing id, and
the refusal is audited. Administrators without a post see none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.border.meetings.models import BorderMeeting, meeting_place
from grassroots.border.meetings.schemas import (
    CaseRef,
    DecisionOut,
    MeetingOut,
    MeetingRow,
    OutsideParty,
    PlaceOut,
)  # fmt: skip
from grassroots.border.places import access_linked, linked_in_scope
from grassroots.border.sealing import unseal
from grassroots.geo.models import Jurisdiction, Level

LIST_LIMIT = 200


def meeting_scope(user: User) -> ColumnElement[bool]:
    """SQL: a participating jurisdiction of the meeting lies in the user's subtree."""
    return linked_in_scope(user, meeting_place, "meeting_id", BorderMeeting.id)


def access_meeting(session: Session, user: User, meeting_id: int) -> BorderMeeting:
    """The meeting if the user may see it; otherwise 404 as for a missing id (audited)."""
    return access_linked(session, user, BorderMeeting, meeting_id, scope=meeting_scope(user),
                         read_action="border.meeting_read",
                         missing="联席会议不存在 / no such meeting")  # fmt: skip


def meetings(session: Session, user: User, *, since: date | None = None) -> list[BorderMeeting]:
    """The meetings the user sees, newest first."""
    query = select(BorderMeeting).where(meeting_scope(user))
    if since is not None:
        query = query.where(BorderMeeting.held_on >= since)
    order = (BorderMeeting.held_on.desc(), BorderMeeting.id.desc())
    return list(session.scalars(query.order_by(*order).limit(LIST_LIMIT)))


def row_out(m: BorderMeeting) -> MeetingRow:
    return MeetingRow(
        id=m.id, held_on=m.held_on, place=m.place,
        jurisdictions=[PlaceOut(code=j.code, name=j.name) for j in _places(m)],
        outside=[OutsideParty.model_validate(o) for o in m.outside or []],
    )  # fmt: skip


def _places(m: BorderMeeting) -> list[Jurisdiction]:
    return sorted(m.jurisdictions, key=lambda j: j.code)


def meeting_out(m: BorderMeeting) -> MeetingOut:
    """The whole meeting, unsealed (access_meeting first)."""
    return MeetingOut(
        **row_out(m).model_dump(), topics=unseal("topics", m.topics_enc),
        notes=unseal("notes", m.notes_enc) if m.notes_enc else "",
        cases=[CaseRef(code=c.code, title=c.title) for c in sorted(m.cases, key=lambda c: c.code)],
        decisions=[DecisionOut(id=d.id, text=unseal("decision", d.text_enc), owner=d.owner,
                               due_on=d.due_on, done=d.done) for d in m.decisions],
        created_by=m.created_by.display_name,
    )  # fmt: skip


@dataclass(frozen=True)
class Choice:
    code: str
    name: str
    level: str


def place_choices(session: Session) -> list[Choice]:
    """The county and township centres of the deployment a meeting may bring together."""
    rows = session.scalars(
        select(Jurisdiction).where(
            Jurisdiction.valid_to.is_(None),
            Jurisdiction.level.in_([Level.county.value, Level.township.value]),
        ).order_by(Jurisdiction.code)
    )  # fmt: skip
    return [Choice(j.code, j.name, j.level) for j in rows]
