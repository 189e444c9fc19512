"""Audit rows and the chain head. Append-only; the hash chain columns are filled by
audit.actions.record_audit, database triggers (migration 0005) refuse UPDATE and DELETE."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from grassroots.db import Base, UTCDateTime, utcnow

# prev_hash of the first row: nothing came before it.
GENESIS_HASH = "0" * 64
CHAIN_HEAD_ID = 1


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_object", "object_type", "object_id"),
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_action", "action"),
        Index("ix_audit_log_actor_name", "actor_name"),
        Index("ix_audit_log_token_id", "token_id"),
    )

    # BIGINT on PostgreSQL; INTEGER on SQLite, where only INTEGER PRIMARY KEY auto-increments.
    # record_audit assigns ids itself (1, 2, 3 ... under the chain lock): id order IS chain order.
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column()  # no FK: the log outlives what it names
    actor_name: Mapped[str] = mapped_column(String(64), default="")
    ip: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(64))  # e.g. case.accept, party.reveal, login
    object_type: Mapped[str] = mapped_column(String(32), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="")
    result: Mapped[str] = mapped_column(String(16), default="ok")  # ok / denied / failed
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The API token (its id, never the secret) of a token-authenticated request; empty for a
    # session or the CLI. Hashed only when not empty, so rows from before it still verify.
    token_id: Mapped[int | None] = mapped_column()  # no FK, like actor_id
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    row_hash: Mapped[str] = mapped_column(String(64), default="")


class AuditChainHead(Base):
    """One row (id 1): the last id and hash of the chain. Every writer locks it (UPDATE, i.e.
    a row lock on PostgreSQL, the write lock on SQLite) so the chain stays one straight line
    under concurrent writers; `audit verify` also checks the walked chain ends here."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"))
    last_hash: Mapped[str] = mapped_column(String(64))
