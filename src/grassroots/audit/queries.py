"""Reading the audit log (auditor only; routes require "audit.read")."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from grassroots.audit.models import AuditEntry
from grassroots.audit.schemas import AuditSearch
from grassroots.errors import Problem


def _conditions(q: AuditSearch) -> list[ColumnElement[bool]]:
    exact = {
        AuditEntry.actor_name: q.actor,
        AuditEntry.action: q.action,
        AuditEntry.object_type: q.object_type,
        AuditEntry.object_id: q.object_id,
        AuditEntry.result: q.result,
        AuditEntry.token_id: q.token_id,
    }
    conditions = [column == value for column, value in exact.items() if value is not None]
    for moment in (q.since, q.until):
        if moment is not None and moment.tzinfo is None:
            raise Problem(
                422, "naive_time", "时间须带时区，如 2026-11-28T08:00+08:00 / time needs a zone"
            )
    if q.since is not None:
        conditions.append(AuditEntry.at >= q.since)
    if q.until is not None:
        conditions.append(AuditEntry.at < q.until)
    return conditions


def search_audit(session: Session, q: AuditSearch) -> tuple[int, list[AuditEntry]]:
    """Matching rows, newest first, one page; and how many match in all."""
    conditions = _conditions(q)
    total = session.scalar(select(func.count()).select_from(AuditEntry).where(*conditions)) or 0
    rows = session.scalars(
        select(AuditEntry)
        .where(*conditions)
        .order_by(AuditEntry.id.desc())
        .offset((q.page - 1) * q.page_size)
        .limit(q.page_size)
    ).all()
    return total, list(rows)
