"""Reads of the deadline policies."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.cases.deadlines.models import DeadlinePolicy


def list_policies(session: Session) -> Sequence[DeadlinePolicy]:
    return session.scalars(
        select(DeadlinePolicy).order_by(
            DeadlinePolicy.source_code,
            DeadlinePolicy.category_code,
            DeadlinePolicy.level,
            DeadlinePolicy.violence_risk,
        )
    ).all()
