"""Reads of the inbox: a person sees only their own notices (access_notification: anyone
else's is a 404 exactly like a missing one)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.errors import Problem
from grassroots.notifications.models import Notification


def inbox(
    session: Session, user: User, *, unread: bool = False, before: int | None = None,
    limit: int = 50,
) -> tuple[Sequence[Notification], int | None]:  # fmt: skip
    """The user's notices, newest first, and the cursor of the next page (the id to pass as
    `before`), or None on the last page."""
    stmt = select(Notification).where(Notification.user_id == user.id)
    if unread:
        stmt = stmt.where(Notification.read_at.is_(None))
    if before is not None:
        stmt = stmt.where(Notification.id < before)
    rows = session.scalars(stmt.order_by(Notification.id.desc()).limit(limit + 1)).all()
    next_before = rows[limit - 1].id if len(rows) > limit else None
    return rows[:limit], next_before


def unread_count(session: Session, user: User) -> int:
    stmt = select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    return int(session.scalar(stmt) or 0)


def access_notification(session: Session, user: User, notice_id: int) -> Notification:
    notice = session.scalar(
        select(Notification).where(Notification.id == notice_id, Notification.user_id == user.id)
    )
    if notice is None:
        raise Problem(404, "not_found", "通知不存在 / notification not found")
    return notice
