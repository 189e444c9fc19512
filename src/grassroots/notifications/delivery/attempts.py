"""One attempt at sending a message on its way out — a delivery of the outbox (outbox.py) or
a direct message (direct.py), both with the columns of models.DeliveryState — in the steps
both take: claim (the attempt counted, the row leased), the send (outside any transaction,
by the caller), record (sent, or failed with the next attempt after a backoff, or given up).

States: pending (never tried) → sent; or failed (tried; retried at next_attempt_at, the wait
doubling from GRASSROOTS_NOTIFY_RETRY_SECONDS up to an hour) → … → gave_up after
GRASSROOTS_NOTIFY_MAX_ATTEMPTS attempts.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from grassroots.config import Settings
from grassroots.notifications.models import Delivery, DirectMessage

DUE_STATES = ("pending", "failed")
MAX_WAIT = timedelta(hours=1)
LEASE = timedelta(minutes=5)  # longer than any one send (channels.TIMEOUT_SECONDS)

Outgoing = TypeVar("Outgoing", Delivery, DirectMessage)


def due_ids(session: Session, model: type[Any], now: datetime, limit: int) -> list[int]:
    """The ids of the rows due for an attempt, the longest waiting first."""
    return list(
        session.scalars(
            select(model.id)
            .where(model.state.in_(DUE_STATES), model.next_attempt_at <= now)
            .order_by(model.next_attempt_at, model.id)
            .limit(limit)
        )
    )


def claim_due(
    session: Session, model: type[Outgoing], row_id: int, now: datetime,
    *also: ColumnElement[bool],
) -> Outgoing | None:  # fmt: skip
    """Take one due row for an attempt, inside the caller's short transaction (on PostgreSQL
    SELECT … FOR UPDATE SKIP LOCKED): the attempt is counted and the row leased (not due
    again for LEASE), so no other run takes it and a crash during the send only delays a
    retry. None: taken, no longer due, or failing a condition of `also`."""
    row = session.scalar(
        select(model)
        .where(model.id == row_id, model.state.in_(DUE_STATES), model.next_attempt_at <= now,
               *also)
        .with_for_update(skip_locked=True)
    )  # fmt: skip
    if row is not None:
        row.attempts += 1
        row.next_attempt_at = now + LEASE
    return row


def claimed(session: Session, model: type[Outgoing], row_id: int, attempt: int) -> Outgoing | None:
    """The row as its claim left it: None once another run has claimed it since."""
    return session.scalar(select(model).where(model.id == row_id, model.attempts == attempt))


def record_attempt(row: Delivery | DirectMessage, error: str | None, now: datetime,
                   settings: Settings) -> str:  # fmt: skip
    """The attempt's outcome on the row: sent, or failed (the next attempt after the backoff)
    or given up. Returns the new state."""
    if error is None:
        row.state, row.sent_at, row.last_error = "sent", now, ""
        return "sent"
    row.last_error = error[:500]
    if row.attempts >= settings.notify_max_attempts:
        row.state = "gave_up"
    else:
        row.state = "failed"
        row.next_attempt_at = now + backoff(row.attempts, settings.notify_retry_seconds)
    return row.state


def backoff(attempts: int, base_seconds: int) -> timedelta:
    """The wait after the n-th failed attempt: base, 2 × base, 4 × base … at most an hour."""
    return min(timedelta(seconds=base_seconds * 2 ** max(attempts - 1, 0)), MAX_WAIT)
