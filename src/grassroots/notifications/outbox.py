"""The outbox: a delivery row per (notice, channel) its recipient opted into, written with
the notice (same transaction); the drain sends the due ones and keeps their state.

States: pending (never tried) → sent; or failed (tried; retried at next_attempt_at, the wait
doubling from GRASSROOTS_NOTIFY_RETRY_SECONDS up to an hour) → … → gave_up after
GRASSROOTS_NOTIFY_MAX_ATTEMPTS attempts. Two processes never send one delivery twice: the
job runner lets one process run the job at a time (job_lock), and on PostgreSQL each
delivery is claimed with SELECT … FOR UPDATE SKIP LOCKED in the transaction that records
its outcome.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from grassroots.accounts.models import User
from grassroots.config import Settings
from grassroots.crypto import keyring
from grassroots.db import transaction
from grassroots.i18n import gettext_for
from grassroots.notifications.channels import Message, SendFailed, send_email, send_webhook
from grassroots.notifications.kinds import kind_label, notice_text
from grassroots.notifications.models import Channel, Delivery, Notification, Subscription

DUE_STATES = ("pending", "failed")
MAX_WAIT = timedelta(hours=1)
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
        Delivery(notification_id=n.id, channel_id=sub.channel_id, address=sub.address,
                 state="pending", attempts=0, next_attempt_at=now, created_at=now)
        for n in notices for sub in by_user[n.user_id] if n.kind in sub.kinds
    ]  # fmt: skip
    session.add_all(rows)
    return len(rows)


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


def message_of(session: Session, delivery: Delivery, base_url: str) -> Message:
    notice = session.get_one(Notification, delivery.notification_id)
    user = session.get_one(User, notice.user_id)
    gettext = gettext_for(OUTGOING_LOCALE)
    url = f"{base_url.rstrip('/')}/cases/{notice.case_code}" if notice.case_code else ""
    return Message(
        delivery_id=delivery.id, notification_id=notice.id, kind=notice.kind,
        label=gettext(kind_label(notice.kind)),
        text=notice_text(notice.kind, notice.params, gettext), case_code=notice.case_code,
        case_url=url, created_at=notice.created_at.isoformat(), username=user.username,
        address=delivery.address,
    )  # fmt: skip


def send(settings: Settings, channel: Channel, message: Message, now: datetime) -> None:
    if channel.kind == "email":
        send_email(settings, message)
        return
    secret = keyring().decrypt(SECRET_FIELD, channel.secret_enc) if channel.secret_enc else ""
    send_webhook(channel.url, secret, message, int(now.timestamp()))


def deliver_one(session: Session, delivery_id: int, now: datetime, settings: Settings) -> str:
    """Claim one due delivery, send it, record the outcome — one transaction. Returns
    "sent", "failed", "gave_up" or "" (taken by another process, or no longer due)."""
    with transaction(session):
        delivery = session.scalar(
            select(Delivery)
            .where(Delivery.id == delivery_id, Delivery.state.in_(DUE_STATES),
                   Delivery.next_attempt_at <= now)
            .with_for_update(skip_locked=True)
        )  # fmt: skip
        if delivery is None:
            return ""
        channel = session.get_one(Channel, delivery.channel_id)
        delivery.attempts += 1
        try:
            if not channel.active:
                raise SendFailed("channel deactivated")
            send(settings, channel, message_of(session, delivery, settings.base_url), now)
        except SendFailed as exc:
            return _failed(delivery, str(exc), now, settings)
        delivery.state, delivery.sent_at, delivery.last_error = "sent", now, ""
        return "sent"


def _failed(delivery: Delivery, error: str, now: datetime, settings: Settings) -> str:
    delivery.last_error = error[:500]
    if delivery.attempts >= settings.notify_max_attempts:
        delivery.state = "gave_up"
    else:
        delivery.state = "failed"
        delivery.next_attempt_at = now + backoff(delivery.attempts, settings.notify_retry_seconds)
    return delivery.state


def drain(
    sessions: sessionmaker[Session], now: datetime, settings: Settings, limit: int = 200
) -> dict[str, int]:
    """Send every due delivery (at most `limit` per run); a summary by outcome."""
    with sessions() as session:
        ids = due_ids(session, now, limit)
    summary = {"sent": 0, "failed": 0, "gave_up": 0, "skipped": 0}
    for delivery_id in ids:
        with sessions() as session:
            outcome = deliver_one(session, delivery_id, now, settings)
        summary[outcome or "skipped"] += 1
    return summary
