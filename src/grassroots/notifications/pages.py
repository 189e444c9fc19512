"""The inbox page (/notifications), its mark-read forms and the unread badge of the top
navigation (an htmx fragment the layout loads; no script of ours)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from grassroots.accounts.models import User
from grassroots.bounds import DbId
from grassroots.calendar.today import local_time
from grassroots.deps import DbSession, requires
from grassroots.i18n import gettext_for, request_locale
from grassroots.notifications import queries as q
from grassroots.notifications.actions import do_mark_all_read, do_mark_read
from grassroots.notifications.views import notice_out
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)
Reader = Annotated[User, requires("case.read")]
PAGE_SIZE = 30


@router.get("/notifications", response_class=HTMLResponse)
def inbox_page(
    request: Request, session: DbSession, user: Reader, unread: bool = False,
    before: Annotated[DbId | None, Query()] = None,
) -> HTMLResponse:  # fmt: skip
    rows, next_before = q.inbox(session, user, unread=unread, before=before, limit=PAGE_SIZE)
    gettext = gettext_for(request_locale(request))
    notices = [(notice_out(n, gettext), local_time(n.created_at)) for n in rows]
    context = {
        "notices": notices, "unread": unread, "next_before": next_before,
        "unread_count": q.unread_count(session, user),
    }  # fmt: skip
    return render(request, "notifications/inbox.html", context, user=user)


def _back(unread: bool) -> Response:
    return RedirectResponse("/notifications?unread=true" if unread else "/notifications", 303)


@router.post("/notifications/{notice_id}/read", response_class=HTMLResponse)
def mark_read(session: DbSession, user: Reader, notice_id: DbId, unread: bool = False) -> Response:
    do_mark_read(session, user, q.access_notification(session, user, notice_id))
    return _back(unread)


@router.post("/notifications/read-all", response_class=HTMLResponse)
def mark_all_read(session: DbSession, user: Reader) -> Response:
    do_mark_all_read(session, user)
    return _back(False)


@router.get("/notifications/badge", response_class=HTMLResponse)
def badge(request: Request, session: DbSession, user: Reader) -> HTMLResponse:
    """htmx: the unread count beside 通知 in the navigation (empty when none)."""
    context = {"count": q.unread_count(session, user)}
    return render(request, "notifications/_badge.html", context, user=user)
