"""Writes of notifications: notices created inside the transaction of the event that causes
them (`add_notices`, called by the writer that owns that transaction), and the reader
marking their own notices read (`do_mark_read`, `do_mark_all_read`, one audited
transaction each); the administrators' channels and each person's opt-in (subscriptions)."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.crypto import keyring
from grassroots.db import transaction, utcnow
from grassroots.errors import Problem
from grassroots.notifications.delivery.contact import open_address, seal_address
from grassroots.notifications.delivery.outbox import RETRYABLE, SECRET_FIELD, queue_deliveries
from grassroots.notifications.kinds import KINDS, PARAMS
from grassroots.notifications.models import (
    Channel,
    Delivery,
    DirectMessage,
    Notification,
    Subscription,
)
from grassroots.notifications.schemas import ChannelChange, ChannelIn, SubscriptionIn

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


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


def _taken() -> Problem:
    message = "渠道名称已存在 / a channel of that name exists"
    return Problem(409, "channel_exists", message, errors=[{"field": "name", "message": message}])


def _channel_out_secret(session: Session, channel: Channel, secret: str | None) -> None:
    if secret is not None:
        channel.secret_enc = keyring().encrypt(SECRET_FIELD, secret)


def do_create_channel(
    session: Session, data: ChannelIn, *, actor: User
) -> tuple[Channel, str | None]:
    """A new channel (administrators). A webhook without a given secret gets a random one,
    returned this once; it is stored sealed with the key file (crypto.Keyring)."""
    secret = data.secret
    if data.kind == "webhook" and secret is None:
        secret = secrets.token_urlsafe(32)
    with transaction(session):
        if session.scalar(select(Channel.id).where(Channel.name == data.name)) is not None:
            raise _taken()
        channel = Channel(name=data.name, kind=data.kind, url=data.url or "", active=data.active)
        _channel_out_secret(session, channel, secret)
        session.add(channel)
        session.flush()
        record_audit(session, actor=actor, action="notification.channel_create",
                     object_type="notification_channel", object_id=str(channel.id),
                     details={"name": data.name, "kind": data.kind})  # fmt: skip
    return channel, secret if data.kind == "webhook" and data.secret is None else None


def do_change_channel(
    session: Session, channel: Channel, data: ChannelChange, *, actor: User
) -> Channel:
    """Switch a channel on or off, point a webhook elsewhere, replace its secret."""
    changed = sorted(data.model_dump(exclude_none=True))
    if channel.kind == "email" and (data.url is not None or data.secret is not None):
        raise Problem(
            422,
            "validation_failed",
            "邮件渠道没有地址或密钥 / an e-mail channel has no url or secret",
        )
    with transaction(session):
        if data.active is not None:
            channel.active = data.active
        if data.url is not None:
            channel.url = data.url
        _channel_out_secret(session, channel, data.secret)
        record_audit(session, actor=actor, action="notification.channel_change",
                     object_type="notification_channel", object_id=str(channel.id),
                     details={"changed": changed})  # fmt: skip
    return channel


def _bad_email() -> Problem:
    message = "请填写有效的电子邮件地址 / enter a valid e-mail address"
    return Problem(
        422, "validation_failed", message, errors=[{"field": "address", "message": message}]
    )


def do_subscribe(
    session: Session, user: User, channel: Channel, data: SubscriptionIn
) -> Subscription:
    """The user's own choice for one channel: the kinds of notice and the address, sealed (a
    blank address keeps the one given before; an e-mail channel needs an e-mail address).
    The audit row says whether the address changed, never what it is."""
    with transaction(session):
        sub = session.scalar(select(Subscription).where(
            Subscription.user_id == user.id, Subscription.channel_id == channel.id))  # fmt: skip
        address = data.address or (open_address(sub.address_enc) if sub else "")
        if channel.kind == "email" and data.kinds and not EMAIL.match(address):
            raise _bad_email()
        if sub is None:
            sub = Subscription(user_id=user.id, channel_id=channel.id)
            session.add(sub)
        if data.address:
            sub.address_enc = seal_address(data.address)
        sub.kinds = sorted(set(data.kinds))
        session.flush()
        details = {"kinds": sub.kinds, "address_changed": bool(data.address)}
        record_audit(session, actor=user, action="notification.subscribe",
                     object_type="notification_channel", object_id=str(channel.id),
                     details=details)  # fmt: skip
    return sub


def _not_retryable(message: str) -> Problem:
    return Problem(409, "not_retryable", message)


def do_retry_delivery(session: Session, delivery: Delivery, *, actor: User,
                      now: datetime | None = None) -> Delivery:  # fmt: skip
    """重试: a failed or given-up delivery due again now, its attempts counted afresh (the
    outbox job sends it). Audited; anything else (pending, sent) is a 409 that changes
    nothing."""
    if delivery.state not in RETRYABLE:
        raise _not_retryable("只能重试失败或已放弃的投递 / only a failed delivery can be retried")
    with transaction(session):
        delivery.state, delivery.attempts = "pending", 0
        delivery.next_attempt_at = now or utcnow()
        record_audit(session, actor=actor, action="notification.retry",
                     object_type="notification_delivery", object_id=delivery.id,
                     details={"topic": delivery.topic or "notice"})  # fmt: skip
    return delivery


def do_retry_direct(session: Session, message: DirectMessage, *, actor: User,
                    now: datetime | None = None) -> DirectMessage:  # fmt: skip
    """重试 a failed direct message (the receipt code by SMS). A given-up one had its text
    wiped (it may carry a receipt code): it cannot be sent again (409)."""
    if message.state not in RETRYABLE or message.text_enc is None:
        raise _not_retryable(
            "只能重试失败且正文尚在的短信 / only a failed message with its text can be retried"
        )
    with transaction(session):
        message.state, message.attempts = "pending", 0
        message.next_attempt_at = now or utcnow()
        record_audit(session, actor=actor, action="notification.retry",
                     object_type="notification_direct", object_id=message.id,
                     details={"kind": message.kind})  # fmt: skip
    return message
