"""Helpers for the audit tests: committed rows in a fresh database, tampering behind the
app's back."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from grassroots.accounts.models import Role, User
from grassroots.audit.actions import record_audit
from grassroots.db import make_session_factory, transaction, writer_engine


def drop_append_only_triggers(engine: Engine) -> None:
    """What an attacker with database access would do first."""
    statements = (
        ["DROP TRIGGER audit_log_append_only ON audit_log"]
        if engine.dialect.name == "postgresql"
        else ["DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"]
    )
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def _actor(session: Session) -> User:
    user = session.scalar(select(User).where(User.username == "tester"))
    if user is None:
        with transaction(session):
            user = User(username="tester", display_name="测试员", role=Role.centre_staff.value)
            session.add(user)
    return user


@pytest.fixture
def write_audit_rows(fresh_engine: Engine) -> Callable[[int], None]:
    """write_audit_rows(n): n committed audit rows, one transaction each."""
    sessions = make_session_factory(writer_engine(fresh_engine))

    def write(n: int) -> None:
        with sessions() as session:
            actor = _actor(session)
            for i in range(n):
                with transaction(session):
                    record_audit(
                        session,
                        actor=actor,
                        action="case.accept",
                        object_type="case",
                        object_id=f"990101-2026-{i:06d}",
                        details={"note": f"第{i}条", "n": i},
                        ip="127.0.0.1",
                    )

    return write
