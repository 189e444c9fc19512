"""The outbox: a delivery row per (notice, channel) its recipient opted into, written with
the notice (same transaction); the drain sends the due ones and keeps their state.

States: pending (never tried) → sent; or failed (tried; retried at next_attempt_at, the wait
doubling from GRASSROOTS_NOTIFY_RETRY_SECONDS up to an hour) → … → gave_up after
GRASSROOTS_NOTIFY_MAX_ATTEMPTS attempts.

One attempt is three steps: claim (a short transaction: on PostgreSQL SELECT … FOR UPDATE
SKIP LOCKED; the attempt is counted and the row leased, i.e. not due again for LEASE), send
(outside any transaction: a slow receiver holds no database lock — on SQLite the one writer
stays free), record (a short transaction guarded by the attempt number). Two processes never
send one delivery twice: the job runner lets one process run the job at a time (job_lock),
and a claimed row is neither lockable nor due for anyone else. A process that dies while
sending leaves the row leased; it is retried when the lease ends (at least once delivery:
a receiver may see a delivery_id twice in that case and should ignore the repeat).

A delivery with a `topic` carries a message of the platform's own rather than a notice
(queue_message: the 12345 reply, queued by grassroots.hotline.replies in the transaction of
the action that ends the order's case): its `payload` is the JSON body,
posted to a webhook channel signed as any delivery, with `Idempotency-Key: <dedupe_key's
subject>`; one row per dedupe_key, re-queued in place when what it carries changes.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from grassroots.accounts.models import User
from grassroots.config import Settings
from grassroots.crypto import keyring
from grassroots.db import transaction
from grassroots.i18n import gettext_for
from grassroots.notifications.delivery.channels import (
    Message,
    SendFailed,
    post_signed,
    send_email,
    send_webhook,
)
from grassroots.notifications.delivery.contact import open_address
from grassroots.notifications.kinds import kind_label, notice_text
from grassroots.notifications.models import Channel, Delivery, Notification, Subscription

DUE_STATES = ("pending", "failed")
RETRYABLE = ("failed", "gave_up")  # an administrator may send these again (重试)
MAX_WAIT = timedelta(hours=1)
LEASE = timedelta(minutes=5)  # longer than any one send (channels.TIMEOUT_SECONDS)
SECRET_FIELD = "notification_channel.secret"  # noqa: S105  (the sealing field name)
OUTGOING_LOCALE = "zh_CN"


def queue_deliveries(session: Session, notices: Sequence[Notification], now: datetime) -> int:
    """A pending delivery for each notice over each active channel its recipient opted
    into for that kind (in the caller's transaction). Returns how many."""
    subscriptions = session.scalars(
        select(Subscription)
        .join(Channel, Channel.id == Subscription.channel_id)
        .where(Subscription.user_id.in_({n.user_id for n in notices}), Channel.active)
    ).all()
    by_user: dict[int, list[Subscription]] = defaultdict(list)
    for sub in subscriptions:
        by_user[sub.user_id].append(sub)
    rows = [
        Delivery(notification_id=n.id, channel_id=sub.channel_id, address_enc=sub.address_enc,
                 state="pending", attempts=0, next_attempt_at=now, created_at=now)
        for n in notices for sub in by_user[n.user_id] if n.kind in sub.kinds
    ]  # fmt: skip
    session.add_all(rows)
    return len(rows)


def queue_message(
    session: Session, channel: Channel, topic: str, key: str, payload: dict[str, Any],
    now: datetime,
) -> bool:  # fmt: skip
    """The delivery of `payload` over `channel`, one per `key` (in the caller's transaction):
    new, or — when the payload changed — the same row due again from its first attempt.
    Returns whether anything was queued (an unchanged payload is not sent again)."""
    dedupe = f"{topic}:{key}"
    row = session.scalar(select(Delivery).where(Delivery.dedupe_key == dedupe))
    if row is None:
        session.add(Delivery(channel_id=channel.id, topic=topic, dedupe_key=dedupe,
                             payload=payload, state="pending", attempts=0,
                             next_attempt_at=now, created_at=now))  # fmt: skip
        return True
    if row.payload == payload and row.channel_id == channel.id:
        return False
    row.payload, row.channel_id, row.state, row.attempts = payload, channel.id, "pending", 0
    row.next_attempt_at, row.last_error, row.sent_at = now, "", None
    return True


def due_ids(session: Session, now: datetime, limit: int) -> list[int]:
    return list(
        session.scalars(
            select(Delivery.id)
            .where(Delivery.state.in_(DUE_STATES), Delivery.next_attempt_at <= now)
            .order_by(Delivery.next_attempt_at, Delivery.id)
            .limit(limit)
        )
    )


def backoff(attempts: int, base_seconds: int) -> timedelta:
    """The wait after the n-th failed attempt: base, 2 × base, 4 × base … at most an hour."""
    return min(timedelta(seconds=base_seconds * 2 ** max(attempts - 1, 0)), MAX_WAIT)


def message_of(session: Session, delivery: Delivery, base_url: str) -> Message | None:
    if delivery.notification_id is None:  # a message of the platform's own: its payload
        return None
    notice = session.get_one(Notification, delivery.notification_id)
    user = session.get_one(User, notice.user_id)
    gettext = gettext_for(OUTGOING_LOCALE)
    url = f"{base_url.rstrip('/')}/cases/{notice.case_code}" if notice.case_code else ""
    return Message(
        delivery_id=delivery.id, notification_id=notice.id, kind=notice.kind,
        label=gettext(kind_label(notice.kind)),
        text=notice_text(notice.kind, notice.params, gettext), case_code=notice.case_code,
        case_url=url, created_at=notice.created_at.isoformat(), username=user.username,
        address=open_address(delivery.address_enc),
    )  # fmt: skip


@dataclass(frozen=True)
class Claim:
    """A delivery taken for one attempt: what to send and where (read in the claim)."""

    delivery_id: int
    attempt: int
    message: Message | None  # None: `payload` is posted (a delivery with a topic)
    kind: str
    url: str
    secret: str
    active: bool
    payload: dict[str, Any] | None = None
    key: str = ""  # the Idempotency-Key of a payload


def claim(session: Session, delivery_id: int, now: datetime, base_url: str) -> Claim | None:
    """Take one due delivery for an attempt, in a short transaction of its own: the attempt is
    counted and the delivery leased (not due again for LEASE), so no other run takes it and
    a crash during the send only delays a retry. None: taken or no longer due."""
    with transaction(session):
        delivery = session.scalar(
            select(Delivery)
            .where(Delivery.id == delivery_id, Delivery.state.in_(DUE_STATES),
                   Delivery.next_attempt_at <= now)
            .with_for_update(skip_locked=True)
        )  # fmt: skip
        if delivery is None:
            return None
        channel = session.get_one(Channel, delivery.channel_id)
        delivery.attempts += 1
        delivery.next_attempt_at = now + LEASE
        secret = keyring().decrypt(SECRET_FIELD, channel.secret_enc) if channel.secret_enc else ""
        key = (delivery.dedupe_key or "").partition(":")[2]
        return Claim(delivery.id, delivery.attempts, message_of(session, delivery, base_url),
                     channel.kind, channel.url, secret, channel.active, delivery.payload,
                     key)  # fmt: skip


def send(settings: Settings, taken: Claim, now: datetime) -> None:
    """One attempt, outside any transaction (a slow receiver holds no database lock)."""
    if not taken.active:
        raise SendFailed("channel deactivated")
    if taken.message is None:
        _post_payload(taken, now)
    elif taken.kind == "email":
        send_email(settings, taken.message)
    else:
        send_webhook(taken.url, taken.secret, taken.message, int(now.timestamp()))


def _post_payload(taken: Claim, now: datetime) -> None:
    if taken.kind != "webhook":
        raise SendFailed("this message goes to a webhook channel only")
    body = json.dumps(taken.payload, ensure_ascii=False, sort_keys=True).encode()
    headers = {"Idempotency-Key": taken.key, "X-Grassroots-Delivery": str(taken.delivery_id)}
    post_signed(taken.url, taken.secret, body, int(now.timestamp()), headers)


def record(session: Session, taken: Claim, error: str | None, now: datetime,
           settings: Settings) -> str:  # fmt: skip
    """The attempt's outcome: sent, or failed (the next attempt after the backoff) or given
    up. Guarded by the attempt number: only the run that claimed it records it."""
    with transaction(session):
        delivery = session.scalar(
            select(Delivery).where(
                Delivery.id == taken.delivery_id, Delivery.attempts == taken.attempt
            )
        )
        if delivery is None:
            return ""
        if error is None:
            delivery.state, delivery.sent_at, delivery.last_error = "sent", now, ""
            return "sent"
        delivery.last_error = error[:500]
        if delivery.attempts >= settings.notify_max_attempts:
            delivery.state = "gave_up"
        else:
            delivery.state = "failed"
            wait = backoff(delivery.attempts, settings.notify_retry_seconds)
            delivery.next_attempt_at = now + wait
        return delivery.state


def deliver_one(
    sessions: sessionmaker[Session], delivery_id: int, now: datetime, settings: Settings
) -> str:
    """Claim, send, record. Returns "sent", "failed", "gave_up" or "" (not taken)."""
    with sessions() as session:
        taken = claim(session, delivery_id, now, settings.base_url)
    if taken is None:
        return ""
    error = None
    try:
        send(settings, taken, now)
    except SendFailed as exc:
        error = str(exc)
    with sessions() as session:
        return record(session, taken, error, now, settings)


def drain(
    sessions: sessionmaker[Session], now: datetime, settings: Settings, limit: int = 200
) -> dict[str, int]:
    """Send every due delivery (at most `limit` per run); a summary by outcome."""
    with sessions() as session:
        ids = due_ids(session, now, limit)
    summary = {"sent": 0, "failed": 0, "gave_up": 0, "skipped": 0}
    for delivery_id in ids:
        outcome = deliver_one(sessions, delivery_id, now, settings)
        summary[outcome or "skipped"] += 1
    return summary
