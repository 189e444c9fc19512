"""Helpers for the audit tests: committed rows in a fresh database, tampering behind the
app's back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from grassroots.accounts.models import Role, User
from grassroots.audit.actions import record_audit
from grassroots.audit.chain import row_hash
from grassroots.audit.models import AuditEntry
from grassroots.db import make_session_factory, transaction, writer_engine


def drop_append_only_triggers(engine: Engine, *, head_too: bool = False) -> None:
    """What an attacker with database access would do first (`head_too`: also the triggers
    that keep the chain head row from being deleted or moved back)."""
    postgres = engine.dialect.name == "postgresql"
    statements = (
        ["DROP TRIGGER audit_log_append_only ON audit_log"]
        if postgres
        else ["DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"]
    )
    if head_too:
        statements += (
            ["DROP TRIGGER audit_chain_head_guard ON audit_chain_head"]
            if postgres
            else [
                "DROP TRIGGER audit_chain_head_no_delete",
                "DROP TRIGGER audit_chain_head_forward_only",
            ]
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


def swap_rows(conn, a: int, b: int) -> None:  # type: ignore[no-untyped-def]
    conn.execute(text("UPDATE audit_log SET id = -1 WHERE id = :a"), {"a": a})
    conn.execute(text("UPDATE audit_log SET id = :a WHERE id = :b"), {"a": a, "b": b})
    conn.execute(text("UPDATE audit_log SET id = :b WHERE id = -1"), {"b": b})


def forge_row(conn, row_id: int, prev_hash: str, correct_hash: bool) -> None:  # type: ignore[no-untyped-def]
    fields = {
        "id": row_id,
        "at": datetime(2026, 11, 28, 1, 2, 3, tzinfo=UTC),
        "actor_id": None,
        "actor_name": "ghost",
        "ip": "",
        "action": "case.close",
        "object_type": "case",
        "object_id": "990101-2026-999999",
        "result": "ok",
        "details": {},
    }
    digest = row_hash(prev_hash, fields) if correct_hash else "f" * 64
    conn.execute(
        AuditEntry.__table__.insert().values(**fields, prev_hash=prev_hash, row_hash=digest)
    )


def hash_of(conn, row_id: int) -> str:  # type: ignore[no-untyped-def]
    return str(conn.execute(text(f"SELECT row_hash FROM audit_log WHERE id = {row_id}")).scalar())
