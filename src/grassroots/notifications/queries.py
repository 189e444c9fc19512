"""Reads of notifications: a person sees only their own notices (access_notification: anyone
else's is a 404 exactly like a missing one) and their own opt-ins; administrators see the
channels and the outbox of the people in their subtree."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session, aliased

from grassroots.accounts.models import User
from grassroots.errors import Problem
from grassroots.geo.models import Jurisdiction
from grassroots.notifications.models import (
    Channel,
    Delivery,
    DirectMessage,
    Notification,
    Subscription,
)
from grassroots.scope import subtree_condition


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


def channels(session: Session, *, active_only: bool = False) -> Sequence[Channel]:
    stmt = select(Channel).order_by(Channel.name)
    if active_only:
        stmt = stmt.where(Channel.active)
    return session.scalars(stmt).all()


def access_channel(session: Session, channel_id: int, *, active_only: bool = False) -> Channel:
    """A channel by id (for a person choosing theirs: an active one); else 404."""
    channel = session.get(Channel, channel_id)
    if channel is None or (active_only and not channel.active):
        raise Problem(404, "not_found", "渠道不存在 / channel not found")
    return channel


def subscriptions_of(session: Session, user: User) -> dict[int, Subscription]:
    """channel id → the user's opt-in on it."""
    rows = session.scalars(select(Subscription).where(Subscription.user_id == user.id))
    return {s.channel_id: s for s in rows}


OUTBOX_KINDS = ("notice", "hotline_reply", "direct")  # the admin list's kind filter


def sees_platform(admin: User) -> bool:
    """Whether the administrator sees the platform's own messages (the 12345 replies, the
    residents' SMS): they belong to no one's subtree but travel over the channels, which are
    set for the whole deployment and managed by every administrator (config.write, checked
    by the route) — so every posted administrator sees them, as they see the channels."""
    return admin.jurisdiction is not None


def _delivery_scope(admin: User) -> ColumnElement[bool]:
    """A notice's delivery to someone in the subtree; a message of the platform's own (no
    notice) too (sees_platform)."""
    own = subtree_condition(admin, Jurisdiction.code)
    if sees_platform(admin):
        return or_(own, Delivery.notification_id.is_(None))
    return own


DeliveryRow = tuple[Delivery, Channel, Notification | None, str | None]


def _deliveries_stmt(admin: User) -> Select[Delivery, Channel, Notification, str]:
    recipient = aliased(User)
    return (
        select(Delivery, Channel, Notification, recipient.username)
        .join(Channel, Channel.id == Delivery.channel_id)
        .outerjoin(Notification, Notification.id == Delivery.notification_id)
        .outerjoin(recipient, recipient.id == Notification.user_id)
        .outerjoin(Jurisdiction, Jurisdiction.id == recipient.jurisdiction_id)
        .where(_delivery_scope(admin))
    )


def deliveries(
    session: Session, admin: User, *, state: str | None = None, kind: str | None = None,
    before: int | None = None, limit: int = 50,
) -> tuple[list[DeliveryRow], int | None]:  # fmt: skip
    """The outbox for administrators, newest first: the deliveries of notices to people posted
    in the administrator's subtree (scope), and the platform's own messages (the 12345
    replies, sees_platform); `kind` "notice" or a topic keeps those."""
    stmt = _deliveries_stmt(admin)
    if kind == "notice":
        stmt = stmt.where(Delivery.notification_id.is_not(None))
    elif kind is not None:
        stmt = stmt.where(Delivery.topic == kind)
    if state is not None:
        stmt = stmt.where(Delivery.state == state)
    if before is not None:
        stmt = stmt.where(Delivery.id < before)
    found = session.execute(stmt.order_by(Delivery.id.desc()).limit(limit + 1)).all()
    rows: list[DeliveryRow] = [(d, c, n, u) for d, c, n, u in found]
    next_before = rows[limit - 1][0].id if len(rows) > limit else None
    return rows[:limit], next_before


def direct_messages(
    session: Session, admin: User, *, state: str | None = None, before: int | None = None,
    limit: int = 50,
) -> tuple[list[tuple[DirectMessage, Channel]], int | None]:  # fmt: skip
    """The residents' direct messages (the receipt code by SMS), newest first (sees_platform)."""
    if not sees_platform(admin):
        return [], None
    stmt = select(DirectMessage, Channel).join(Channel, Channel.id == DirectMessage.channel_id)
    if state is not None:
        stmt = stmt.where(DirectMessage.state == state)
    if before is not None:
        stmt = stmt.where(DirectMessage.id < before)
    found = session.execute(stmt.order_by(DirectMessage.id.desc()).limit(limit + 1)).all()
    rows = [(m, c) for m, c in found]
    next_before = rows[limit - 1][0].id if len(rows) > limit else None
    return rows[:limit], next_before


def access_delivery(session: Session, admin: User, delivery_id: int) -> Delivery:
    """A delivery the administrator's outbox list shows; else 404, like a missing one."""
    found = session.execute(_deliveries_stmt(admin).where(Delivery.id == delivery_id)).first()
    if found is None:
        raise Problem(404, "not_found", "投递不存在 / delivery not found")
    delivery: Delivery = found[0]
    return delivery


def access_direct(session: Session, admin: User, message_id: int) -> DirectMessage:
    """A direct message the administrator sees (sees_platform); else 404."""
    message = session.get(DirectMessage, message_id) if sees_platform(admin) else None
    if message is None:
        raise Problem(404, "not_found", "投递不存在 / delivery not found")
    return message


def channel_named(session: Session, name: str) -> Channel | None:
    """An active channel by its name (the platform's own messages name theirs in settings)."""
    return session.scalar(select(Channel).where(Channel.name == name, Channel.active))
