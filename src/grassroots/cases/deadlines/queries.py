"""Reads of the deadline policies and of a case's superseded deadlines."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.cases.deadlines.models import DeadlinePolicy
from grassroots.cases.models import DeadlineRecord


def list_policies(session: Session) -> Sequence[DeadlinePolicy]:
    return session.scalars(
        select(DeadlinePolicy).order_by(
            DeadlinePolicy.source_code,
            DeadlinePolicy.category_code,
            DeadlinePolicy.level,
            DeadlinePolicy.violence_risk,
        )
    ).all()


def deadline_records(session: Session, case_id: int) -> Sequence[DeadlineRecord]:
    """The case's superseded resolve deadlines, oldest first (the case page lists them)."""
    return session.scalars(
        select(DeadlineRecord).where(DeadlineRecord.case_id == case_id).order_by(DeadlineRecord.id)
    ).all()
