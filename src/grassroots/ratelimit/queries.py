"""Reading the counted requests of a limit (the load the proof of work adapts to)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.ratelimit.actions import client_key
from grassroots.ratelimit.models import RateHit


def recent_hits(
    session: Session, bucket: str, address: str, window: float, now: datetime | None = None
) -> int:
    """How many requests of `address` the bucket counted in the last `window` seconds."""
    since = (now or datetime.now(UTC)).astimezone(UTC) - timedelta(seconds=window)
    stmt = select(func.count()).where(
        RateHit.bucket == bucket, RateHit.client == client_key(address), RateHit.at >= since
    )
    return int(session.scalar(stmt) or 0)
