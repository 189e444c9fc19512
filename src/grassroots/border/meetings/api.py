"""JSON routes of 边界联席会议: the meetings I see, one meeting, record, edit, the minutes
(Word). Thin: access_meeting, then do_*."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from starlette.responses import Response

from grassroots.accounts.models import User
from grassroots.border.meetings import queries as q
from grassroots.border.meetings.actions import do_create_meeting, do_update_meeting
from grassroots.border.meetings.minutes import build_minutes_docx
from grassroots.border.meetings.schemas import MeetingIn, MeetingOut, MeetingRow
from grassroots.bounds import DbId
from grassroots.deps import DbSession, requires

router = APIRouter(tags=["border"])
Reader = Annotated[User, requires("case.read")]
Actor = Annotated[User, requires("case.act")]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def minutes_response(out: MeetingOut) -> Response:
    name = f"border-meeting-{out.id}-{out.held_on.isoformat()}.docx"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    return Response(build_minutes_docx(out), media_type=DOCX, headers=headers)


@router.get("/border/meetings", response_model=list[MeetingRow])
def list_meetings(session: DbSession, user: Reader) -> list[MeetingRow]:
    """边界联席会议: the meetings any of whose jurisdictions lies in your subtree, newest first."""
    return [q.row_out(m) for m in q.meetings(session, user)]


@router.post("/border/meetings", status_code=201, response_model=MeetingOut)
def create_meeting(data: MeetingIn, session: DbSession, user: Actor) -> MeetingOut:
    """Record a meeting: date, place, jurisdictions, outside partners, topics, cases discussed
    and decisions (owner, deadline, done). One of its jurisdictions must be in your subtree."""
    return q.meeting_out(do_create_meeting(session, data, actor=user))


@router.get("/border/meetings/{meeting_id}", response_model=MeetingOut)
def get_meeting(meeting_id: DbId, session: DbSession, user: Reader) -> MeetingOut:
    return q.meeting_out(q.access_meeting(session, user, meeting_id))


@router.put("/border/meetings/{meeting_id}", response_model=MeetingOut)
def update_meeting(
    meeting_id: DbId, data: MeetingIn, session: DbSession, user: Actor
) -> MeetingOut:
    """Edit a meeting (the whole record; its decisions are replaced by the ones sent)."""
    meeting = q.access_meeting(session, user, meeting_id)
    return q.meeting_out(do_update_meeting(session, meeting, data, actor=user))


@router.get("/border/meetings/{meeting_id}/minutes.docx", response_class=Response,
            responses={200: {"content": {DOCX: {}}}})  # fmt: skip
def minutes(meeting_id: DbId, session: DbSession, user: Reader) -> Response:
    """会议纪要 (Word, GB/T 9704 page and fonts)."""
    return minutes_response(q.meeting_out(q.access_meeting(session, user, meeting_id)))
