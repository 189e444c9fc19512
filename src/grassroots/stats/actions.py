"""Writes of the statistics domain: rebuilding the aggregates from the cases."""

from __future__ import annotations

from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.cases.tallies import maintain
from grassroots.db import transaction


def do_rebuild_aggregates(session: Session, actor: User | None) -> int:
    """Recompute every aggregate row from the cases, in one transaction (audited)."""
    with transaction(session):
        rows = maintain.rebuild(session)
        record_audit(
            session,
            actor=actor,
            action="stats.rebuild",
            object_type="stats",
            details={"rows": rows},
        )
    return rows
