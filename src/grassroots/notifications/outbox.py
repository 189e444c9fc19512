"""The outbox: the deliveries of a notice over the channels its recipient chose (slice 2).
Until channels exist a notice is delivered in the app only."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from grassroots.notifications.models import Notification


def queue_deliveries(session: Session, notices: Sequence[Notification], now: datetime) -> int:
    """Delivery rows for the notices (none yet: no channel is configured)."""
    return 0
