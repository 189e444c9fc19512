"""边界联席会议 pages: the list, record (new), one meeting, edit, and the minutes (Word).
Thin: the same MeetingIn the API validates (forms.py), access_meeting, do_*."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from grassroots.accounts.models import User
from grassroots.border.meetings import queries as q
from grassroots.border.meetings.actions import do_create_meeting, do_update_meeting
from grassroots.border.meetings.api import minutes_response
from grassroots.border.meetings.forms import BLANK_ROWS, as_list, form_values, row_count, validated
from grassroots.bounds import DbId
from grassroots.calendar.today import china_today
from grassroots.deps import DbSession, requires
from grassroots.errors import Problem
from grassroots.i18n import gettext_for, request_locale
from grassroots.web.forms import form_fields, problem_errors
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)
Reader = Annotated[User, requires("case.read")]
Actor = Annotated[User, requires("case.act")]
FormFields = Annotated[dict[str, Any], Depends(form_fields)]


@router.get("/border/meetings", response_class=HTMLResponse)
def meeting_list(request: Request, session: DbSession, user: Reader) -> HTMLResponse:
    rows = [q.row_out(m) for m in q.meetings(session, user)]
    return render(request, "border/meetings.html", {"rows": rows}, user=user)


def _form(
    request: Request, session: DbSession, user: User, values: dict[str, Any],
    errors: dict[str, str], meeting_id: int | None = None, status: int = 200,
) -> HTMLResponse:  # fmt: skip
    rows = row_count(values) + BLANK_ROWS
    context = {"values": values, "errors": errors, "meeting_id": meeting_id,
               "choices": q.place_choices(session), "rows": range(rows), "row_total": rows,
               "chosen": as_list(values.get("jurisdiction_codes"))}  # fmt: skip
    return render(request, "border/meeting_form.html", context, user=user, status_code=status)


@router.get("/border/meetings/new", response_class=HTMLResponse)
def new_meeting(request: Request, session: DbSession, user: Actor) -> HTMLResponse:
    post = user.jurisdiction
    values = {"held_on": china_today().isoformat(),
              "jurisdiction_codes": [post.code] if post is not None else []}  # fmt: skip
    return _form(request, session, user, values, {})


def _save(
    request: Request, session: DbSession, user: User, form: dict[str, Any],
    meeting_id: int | None,
) -> Response:  # fmt: skip
    meeting = q.access_meeting(session, user, meeting_id) if meeting_id else None
    data = validated(form, gettext_for(request_locale(request)))
    if isinstance(data, dict):
        return _form(request, session, user, form, data, meeting_id, 422)
    try:
        if meeting is None:
            meeting = do_create_meeting(session, data, actor=user)
        else:
            do_update_meeting(session, meeting, data, actor=user)
    except Problem as exc:
        session.rollback()
        errors = problem_errors(exc, "_form", {})
        return _form(request, session, user, form, errors, meeting_id, 422)
    return RedirectResponse(f"/border/meetings/{meeting.id}", status_code=303)


@router.post("/border/meetings", response_class=HTMLResponse)
def create_meeting(request: Request, session: DbSession, user: Actor, form: FormFields) -> Response:
    return _save(request, session, user, form, None)


@router.get("/border/meetings/{meeting_id}", response_class=HTMLResponse)
def meeting_page(
    request: Request, session: DbSession, user: Reader, meeting_id: DbId
) -> HTMLResponse:
    m = q.meeting_out(q.access_meeting(session, user, meeting_id))
    return render(request, "border/meeting.html", {"m": m}, user=user)


@router.get("/border/meetings/{meeting_id}/edit", response_class=HTMLResponse)
def edit_meeting(
    request: Request, session: DbSession, user: Actor, meeting_id: DbId
) -> HTMLResponse:
    m = q.meeting_out(q.access_meeting(session, user, meeting_id))
    return _form(request, session, user, form_values(m), {}, meeting_id)


@router.post("/border/meetings/{meeting_id}", response_class=HTMLResponse)
def update_meeting(
    request: Request, session: DbSession, user: Actor, meeting_id: DbId, form: FormFields
) -> Response:
    return _save(request, session, user, form, meeting_id)


@router.get("/border/meetings/{meeting_id}/minutes.docx")
def minutes(session: DbSession, user: Reader, meeting_id: DbId) -> Response:
    return minutes_response(q.meeting_out(q.access_meeting(session, user, meeting_id)))
