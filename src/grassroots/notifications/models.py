"""The in-app inbox (站内通知): one row per recipient of an event on a case.

A row is written in the same transaction as the event that causes it (cases.notices), so a
rolled-back action leaves no notice. What a notice says is kept as its kind and a few
parameters a recipient may see (the case code, category, place and the actor's name — never
a party's name, phone or address); the text is built from them in the reader's language.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from grassroots.db import Base, UTCDateTime, utcnow
from grassroots.privacy.sealed_columns import register as register_sealed


class Notification(Base):
    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_user_id_id", "user_id", "id"),
        Index("ix_notification_user_unread", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    kind: Mapped[str] = mapped_column(String(32))  # notifications.kinds.KINDS
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id"), index=True)
    case_code: Mapped[str] = mapped_column(String(32), default="")
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Channel(Base):
    """A way out of the app an administrator configured: e-mail over SMTP (the server from
    GRASSROOTS_SMTP_*) or a signed webhook (url; the HMAC secret sealed with the key file)."""

    __tablename__ = "notification_channel"
    __table_args__ = (
        UniqueConstraint("name"),
        CheckConstraint("kind in ('email','webhook')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    url: Mapped[str] = mapped_column(String(500), default="")  # webhook only
    secret_enc: Mapped[bytes | None] = mapped_column(LargeBinary)  # webhook only
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Subscription(Base):
    """A person's opt-in to a channel: which kinds of notice, to which address (an e-mail
    address, or the handle the webhook's receiver knows them by, e.g. a phone for SMS),
    sealed (notifications.delivery.contact: personal data, encrypted like a party's phone)."""

    __tablename__ = "notification_subscription"
    __table_args__ = (UniqueConstraint("user_id", "channel_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("notification_channel.id"))
    address_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Delivery(Base):
    """One notice over one channel — or, with a `topic` and no notice, one message of the
    platform's own (the 12345 reply, hotline.replies) with its JSON `payload`, one row per
    `dedupe_key` —: pending until sent; a failure is retried at next_attempt_at
    (exponential backoff) until it gives up."""

    __tablename__ = "notification_delivery"
    __table_args__ = (
        UniqueConstraint("notification_id", "channel_id"),
        CheckConstraint("state in ('pending','sent','failed','gave_up')", name="state"),
        Index("ix_notification_delivery_due", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int | None] = mapped_column(ForeignKey("notification.id"), index=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("notification_channel.id"), index=True)
    address_enc: Mapped[bytes | None] = mapped_column(LargeBinary)  # the opt-in's, sealed
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    topic: Mapped[str] = mapped_column(String(32), default="", server_default="")
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    dedupe_key: Mapped[str | None] = mapped_column(String(128), unique=True)


# SECRET_FIELD of grassroots.notifications.delivery.outbox (the sealing field name).
register_sealed(Channel.secret_enc, "notification_channel.secret")
# ADDRESS_FIELD of grassroots.notifications.delivery.contact: a person's own address on a channel.
register_sealed(Subscription.address_enc, "notification.address")
register_sealed(Delivery.address_enc, "notification.address")


class DirectMessage(Base):
    """A message to an address that is no user's — a resident's phone (grassroots.residents:
    the receipt code by SMS) — over a webhook channel (the county's SMS gateway adapter),
    sent by the same outbox job with the same retries. Address and text are sealed; the
    text is wiped once sent or given up (it may carry a receipt code)."""

    __tablename__ = "notification_direct"
    __table_args__ = (
        CheckConstraint("state in ('pending','sent','failed','gave_up')", name="state"),
        Index("ix_notification_direct_due", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("notification_channel.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    address_enc: Mapped[bytes] = mapped_column(LargeBinary)
    text_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


register_sealed(DirectMessage.address_enc, "notification_direct.address")
register_sealed(DirectMessage.text_enc, "notification_direct.text")
