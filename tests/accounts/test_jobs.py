"""Accounts' scheduled job: expired login sessions are purged by `grassroots jobs run`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import AuthSession, Role, User
from grassroots.jobs import registry as jobs


def test_the_session_purge_is_registered_and_runs(fresh_engine: Engine):
    now = datetime(2026, 4, 15, 2, tzinfo=UTC)
    with Session(fresh_engine) as session:
        user = User(username="qian2", display_name="钱二", role=Role.centre_staff.value)
        session.add(user)
        session.flush()
        idle = now - timedelta(days=1)
        session.add_all([
            AuthSession(user_id=user.id, token_hash="a" * 64, created_at=idle, last_seen_at=idle),
            AuthSession(user_id=user.id, token_hash="b" * 64, created_at=now, last_seen_at=now),
        ])  # fmt: skip
        session.commit()
    outcomes = jobs.run_jobs(fresh_engine, now, only=["session_purge"])
    assert [(o.name, o.ok, dict(o.summary)) for o in outcomes] == [
        ("session_purge", True, {"purged": 1, "throttle_counts_purged": 0})
    ]
    with Session(fresh_engine) as session:
        assert session.scalar(select(func.count()).select_from(AuthSession)) == 1
    assert jobs.run_jobs(fresh_engine, now, only=["session_purge"])[0].summary["purged"] == 0
