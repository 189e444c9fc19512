"""/api/v1/notifications: the reader's own inbox — list (unread filter, keyset pages),
unread count, mark one or all read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from grassroots.accounts.models import User
from grassroots.bounds import DbId
from grassroots.deps import DbSession, requires
from grassroots.i18n import gettext_for, request_locale
from grassroots.notifications import queries as q
from grassroots.notifications.actions import do_mark_all_read, do_mark_read
from grassroots.notifications.schemas import MarkedAll, NoticeOut, NoticePage, UnreadCount
from grassroots.notifications.views import notice_out

router = APIRouter(tags=["notifications"])
Reader = Annotated[User, requires("case.read")]


@router.get("/notifications", response_model=NoticePage)
def list_notices(
    request: Request,
    session: DbSession,
    user: Reader,
    unread: bool = False,
    before: Annotated[DbId | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> NoticePage:
    """站内通知: the user's notices, newest first; `unread=true` keeps the unread ones; pass
    `next_before` back as `before` for the next page."""
    rows, next_before = q.inbox(session, user, unread=unread, before=before, limit=limit)
    gettext = gettext_for(request_locale(request))
    return NoticePage(items=[notice_out(n, gettext) for n in rows], next_before=next_before)


@router.get("/notifications/unread-count", response_model=UnreadCount)
def unread_count(session: DbSession, user: Reader) -> UnreadCount:
    """未读通知数."""
    return UnreadCount(unread=q.unread_count(session, user))


@router.post("/notifications/read-all", response_model=MarkedAll)
def mark_all_read(session: DbSession, user: Reader) -> MarkedAll:
    """全部标为已读: returns how many were unread."""
    return MarkedAll(marked=do_mark_all_read(session, user))


@router.post("/notifications/{notice_id}/read", response_model=NoticeOut)
def mark_read(request: Request, session: DbSession, user: Reader, notice_id: DbId) -> NoticeOut:
    """标为已读: one of the user's own notices (anyone else's: 404)."""
    notice = do_mark_read(session, user, q.access_notification(session, user, notice_id))
    return notice_out(notice, gettext_for(request_locale(request)))
