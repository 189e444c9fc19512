"""Writing audit rows. record_audit adds to the caller's transaction and never commits:
the row lands with the change it records, or not at all."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.models import AuditEntry


def record_audit(
    session: Session,
    *,
    actor: User | None,
    action: str,
    object_type: str = "",
    object_id: str | int = "",
    result: str = "ok",
    details: dict[str, Any] | None = None,
    ip: str = "",
) -> AuditEntry:
    """Append one audit row to the current transaction. Never put personal data in details."""
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        actor_name=actor.username if actor is not None else "",
        ip=ip,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        result=result,
        details=details or {},
    )
    session.add(entry)
    return entry
