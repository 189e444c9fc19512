"""Writes of the inbox: notices created inside the transaction of the event that causes
them (`add_notices`, called by the writer that owns that transaction), and the reader
marking their own notices read (`do_mark_read`, `do_mark_all_read`, one audited
transaction each)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.db import transaction, utcnow
from grassroots.notifications.kinds import KINDS, PARAMS
from grassroots.notifications.models import Notification
from grassroots.notifications.outbox import queue_deliveries


def add_notices(
    session: Session, recipients: Iterable[User], kind: str, *, case_id: int | None,
    case_code: str, params: dict[str, Any], now: datetime,
) -> list[Notification]:  # fmt: skip
    """One notice per recipient (each once), in the caller's open transaction — the
    action that causes it commits or rolls back both. Only the known parameters are kept."""
    if kind not in KINDS:
        raise ValueError(f"unknown notice kind {kind!r}")
    kept = {k: str(v) for k, v in params.items() if k in PARAMS and v is not None}
    seen: set[int] = set()
    rows: list[Notification] = []
    for user in recipients:
        if user.id in seen:
            continue
        seen.add(user.id)
        rows.append(Notification(user_id=user.id, kind=kind, case_id=case_id,
                                 case_code=case_code, params=kept, created_at=now))  # fmt: skip
    session.add_all(rows)
    if rows:
        session.flush()
        queue_deliveries(session, rows, now)
    return rows


def do_mark_read(session: Session, user: User, notice: Notification) -> Notification:
    """The reader's own notice, read now (reading twice keeps the first moment)."""
    with transaction(session):
        if notice.read_at is None:
            notice.read_at = utcnow()
        record_audit(session, actor=user, action="notification.read",
                     object_type="notification", object_id=str(notice.id))  # fmt: skip
    return notice


def do_mark_all_read(session: Session, user: User) -> int:
    """Every unread notice of the reader, read now. Returns how many were unread."""
    with transaction(session):
        result = session.execute(
            update(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
            .values(read_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        count = int(result.rowcount or 0)  # type: ignore[attr-defined]
        record_audit(session, actor=user, action="notification.read_all",
                     object_type="user", object_id=user.username,
                     details={"count": count})  # fmt: skip
    return count
