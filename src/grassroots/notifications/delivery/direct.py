"""Direct messages: the outbox for an address that is no user's — a resident's phone (the
receipt code by SMS, grassroots.residents). Queued in the writer's transaction, sent by the
notification_outbox job over a webhook channel (the county's SMS gateway adapter) with the
deliveries' backoff and attempt limit, signed as every webhook (channels.post_signed).

The body: {"message_id": "direct-<id>", "kind", "address", "text"}. The address and text are
sealed at rest; the text is wiped once sent or given up (it may hold a receipt code).
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from grassroots.config import Settings
from grassroots.crypto import keyring
from grassroots.db import transaction
from grassroots.errors import Problem
from grassroots.notifications.delivery.channels import SendFailed, post_signed
from grassroots.notifications.delivery.outbox import DUE_STATES, LEASE, SECRET_FIELD, backoff
from grassroots.notifications.models import Channel, DirectMessage

ADDRESS_FIELD, TEXT_FIELD = "notification_direct.address", "notification_direct.text"


def webhook_named(session: Session, name: str) -> Channel | None:
    return session.scalar(
        select(Channel).where(Channel.name == name, Channel.kind == "webhook", Channel.active)
    )


def queue_direct(session: Session, channel: Channel, kind: str, address: str, text: str,
                 now: datetime) -> DirectMessage:  # fmt: skip
    """A pending message, in the caller's transaction."""
    ring = keyring()
    message = DirectMessage(
        channel_id=channel.id, kind=kind, address_enc=ring.encrypt(ADDRESS_FIELD, address),
        text_enc=ring.encrypt(TEXT_FIELD, text), state="pending", attempts=0,
        next_attempt_at=now, last_error="", created_at=now,
    )  # fmt: skip
    session.add(message)
    return message


def _claim(session: Session, message_id: int, now: datetime) -> tuple[int, str, str, bytes] | None:
    with transaction(session):
        m = session.scalar(
            select(DirectMessage)
            .where(DirectMessage.id == message_id, DirectMessage.state.in_(DUE_STATES),
                   DirectMessage.next_attempt_at <= now)
            .with_for_update(skip_locked=True)
        )  # fmt: skip
        if m is None or m.text_enc is None:
            return None
        channel = session.get_one(Channel, m.channel_id)
        m.attempts += 1
        m.next_attempt_at = now + LEASE
        ring = keyring()
        secret = ring.decrypt(SECRET_FIELD, channel.secret_enc) if channel.secret_enc else ""
        body = {"message_id": f"direct-{m.id}", "kind": m.kind,
                "address": ring.decrypt(ADDRESS_FIELD, m.address_enc),
                "text": ring.decrypt(TEXT_FIELD, m.text_enc)}  # fmt: skip
        encoded = json.dumps(body, ensure_ascii=False, sort_keys=True).encode()
        return m.attempts, channel.url if channel.active else "", secret, encoded


def _record(session: Session, message_id: int, attempt: int, error: str | None,
            now: datetime, settings: Settings) -> str:  # fmt: skip
    with transaction(session):
        m = session.scalar(select(DirectMessage).where(
            DirectMessage.id == message_id, DirectMessage.attempts == attempt))  # fmt: skip
        if m is None:
            return ""
        if error is None:
            m.state, m.sent_at, m.last_error = "sent", now, ""
        else:
            m.last_error = error[:500]
            gave_up = m.attempts >= settings.notify_max_attempts
            m.state = "gave_up" if gave_up else "failed"
            m.next_attempt_at = now + backoff(m.attempts, settings.notify_retry_seconds)
        if m.state in ("sent", "gave_up"):
            m.text_enc = None
        return m.state


def send_one(sessions: sessionmaker[Session], message_id: int, now: datetime,
             settings: Settings) -> str:  # fmt: skip
    """Claim, send, record: "sent", "failed", "gave_up" or "" (not taken)."""
    with sessions() as session:
        taken = _claim(session, message_id, now)
    if taken is None:
        return ""
    attempt, url, secret, body = taken
    error = None
    try:
        if not url:
            raise SendFailed("channel deactivated")
        post_signed(url, secret, body, int(now.timestamp()))
    except SendFailed as exc:
        error = str(exc)
    with sessions() as session:
        return _record(session, message_id, attempt, error, now, settings)


def drain_direct(sessions: sessionmaker[Session], now: datetime, settings: Settings,
                 limit: int = 200) -> dict[str, int]:  # fmt: skip
    with sessions() as session:
        ids = list(session.scalars(
            select(DirectMessage.id)
            .where(DirectMessage.state.in_(DUE_STATES), DirectMessage.next_attempt_at <= now)
            .order_by(DirectMessage.next_attempt_at, DirectMessage.id).limit(limit)
        ))  # fmt: skip
    summary = {"direct_sent": 0, "direct_failed": 0, "direct_gave_up": 0, "direct_skipped": 0}
    for message_id in ids:
        outcome = send_one(sessions, message_id, now, settings)
        summary[f"direct_{outcome or 'skipped'}"] += 1
    return summary


def sms_channel(session: Session, settings: Settings) -> Channel | None:
    """The configured SMS webhook, or None when no SMS is offered."""
    if not settings.public_sms_channel:
        return None
    channel = webhook_named(session, settings.public_sms_channel)
    if channel is None:
        raise Problem(503, "sms_unavailable", "短信通道未配置 / the SMS channel is not configured")
    return channel
