"""Writing audit rows. record_audit adds to the caller's transaction and never commits:
the row lands with the change it records, or not at all."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.chain import json_safe, row_hash
from grassroots.audit.models import CHAIN_HEAD_ID, GENESIS_HASH, AuditChainHead, AuditEntry
from grassroots.db import utcnow

# Column widths of audit_log: longer values are cut (PostgreSQL would refuse them and the
# change being audited with them).
_WIDTHS = {"actor_name": 64, "ip": 64, "action": 64, "object_type": 32, "object_id": 64}


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
    """Append one audit row to the current transaction. Never put personal data in details.

    Takes the chain lock (the head row) until the caller's transaction ends, so call it as
    the last statement of a do_* action to keep that lock short.
    """
    prev_id, prev_hash = _lock_chain_head(session)
    fields: dict[str, Any] = {
        "id": prev_id + 1,
        "at": utcnow(),
        "actor_id": actor.id if actor is not None else None,
        "actor_name": actor.username if actor is not None else "",
        "ip": ip,
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "result": result[:16],
        "details": json_safe(details or {}),
    }
    for name, width in _WIDTHS.items():
        fields[name] = fields[name][:width]
    digest = row_hash(prev_hash, fields)
    entry = AuditEntry(**fields, prev_hash=prev_hash, row_hash=digest)
    session.add(entry)
    session.execute(
        update(AuditChainHead)
        .where(AuditChainHead.id == CHAIN_HEAD_ID)
        .values(last_id=fields["id"], last_hash=digest)
        .execution_options(synchronize_session=False)
    )
    return entry


def _lock_chain_head(session: Session) -> tuple[int, str]:
    """Lock the head row and read it in one statement.

    An UPDATE (not SELECT ... FOR UPDATE) because it takes the lock on both databases: the
    row lock on PostgreSQL (READ COMMITTED re-reads the newest committed head after waiting),
    the write lock on SQLite even when the session was not opened with BEGIN IMMEDIATE.
    """
    row = session.execute(
        update(AuditChainHead)
        .where(AuditChainHead.id == CHAIN_HEAD_ID)
        .values(last_id=AuditChainHead.last_id)
        .returning(AuditChainHead.last_id, AuditChainHead.last_hash)
        .execution_options(synchronize_session=False)
    ).one_or_none()
    if row is None:  # a database made without migration 0005: start the chain
        session.execute(
            insert(AuditChainHead).values(id=CHAIN_HEAD_ID, last_id=0, last_hash=GENESIS_HASH)
        )
        return 0, GENESIS_HASH
    return int(row.last_id), str(row.last_hash)
