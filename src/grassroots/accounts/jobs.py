"""Scheduled housekeeping for accounts (idempotent; safe to run twice or from two processes)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, or_
from sqlalchemy.orm import Session

from grassroots.accounts.login.throttle import purge_throttle
from grassroots.accounts.models import AuthSession
from grassroots.config import Settings, get_settings
from grassroots.db import make_session_factory, transaction, utcnow, writer_engine


def purge_expired_sessions(
    session: Session, now: datetime | None = None, settings: Settings | None = None
) -> int:
    """Delete sessions past their idle or absolute limit (they no longer work anyway: this
    keeps the table small). Returns how many were deleted."""
    now, s = now or utcnow(), settings or get_settings()
    idle_before = now - timedelta(minutes=s.session_idle_minutes)
    born_before = now - timedelta(hours=s.session_absolute_hours)
    with transaction(session):
        result = session.execute(
            delete(AuthSession).where(
                or_(AuthSession.last_seen_at < idle_before, AuthSession.created_at < born_before)
            )
        )
    return int(getattr(result, "rowcount", 0) or 0)


def session_purge_job(engine: Engine, now: datetime) -> dict[str, int]:
    """The scheduled job (grassroots.jobs.registry.JOBS): purge_expired_sessions in its own session,
    then the login throttle's counts that no longer matter."""
    with make_session_factory(writer_engine(engine))() as session:
        purged = purge_expired_sessions(session, now)
        with transaction(session):
            counts = purge_throttle(session, now, get_settings())
        return {"purged": purged, "throttle_counts_purged": counts}
