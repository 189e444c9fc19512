"""Counting a request against a limit, in the database (every process sees every hit)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from grassroots.crypto import keyring
from grassroots.db import transaction
from grassroots.ratelimit.models import RateHit


def client_key(address: str) -> str:
    """A keyed hash of the client's address: the hits table holds no address."""
    key = keyring().for_usage("lead-public").index_key
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()


def do_count_hit(
    session: Session, bucket: str, address: str, limit: int, window: float,
    now: datetime | None = None,
) -> float | None:  # fmt: skip
    """Count one request of `address`; None if allowed, else the seconds until one is. Old
    hits are deleted on the way. On PostgreSQL a transaction lock per client serialises
    two processes counting the same client."""
    moment, client = (now or datetime.now(UTC)).astimezone(UTC), client_key(address)
    since = moment - timedelta(seconds=window)
    with transaction(session):
        if session.get_bind().dialect.name == "postgresql":
            lock = int(client[:15], 16)
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock})
        # Only this bucket's old hits: buckets keep windows of their own (an hour of
        # report hits must outlive a minute's window of another bucket).
        session.execute(delete(RateHit).where(RateHit.bucket == bucket, RateHit.at < since))
        hits = session.execute(
            select(func.count(), func.min(RateHit.at)).where(
                RateHit.bucket == bucket, RateHit.client == client, RateHit.at >= since
            )
        ).one()
        if hits[0] >= limit:
            return max((hits[1] + timedelta(seconds=window) - moment).total_seconds(), 0.0)
        session.add(RateHit(bucket=bucket, client=client, at=moment))
    return None
