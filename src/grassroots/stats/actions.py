"""Writes of the statistics domain: rebuilding the aggregates from the cases."""

from __future__ import annotations

from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.cases.tallies import maintain
from grassroots.db import transaction
from grassroots.rounds.actions import rebuild_round_counts


def do_rebuild_aggregates(session: Session, actor: User | None) -> int:
    """Recompute every aggregate row from the cases and the 排查 rounds, in one transaction
    (audited)."""
    with transaction(session):
        rows = maintain.rebuild(session) + rebuild_round_counts(session)
        record_audit(
            session,
            actor=actor,
            action="stats.rebuild",
            object_type="stats",
            details={"rows": rows},
        )
    return rows
