"""A paired wall screen: its name, the jurisdiction it shows, its layout preset, the hash of
its one-time pairing code and of its session cookie (docs/screens.md)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grassroots.db import Base, UTCDateTime, utcnow
from grassroots.geo.models import Jurisdiction


class Screen(Base):
    """One wall screen. It holds no user account: its session (a cookie on the path
    /screen, only its SHA-256 stored) may read the statistics of its one jurisdiction and
    nothing else. A pairing code is stored as a SHA-256 too and is used once."""

    __tablename__ = "screen"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    jurisdiction_id: Mapped[int] = mapped_column(ForeignKey("jurisdiction.id"), index=True)
    preset: Mapped[str] = mapped_column(String(16), default="standard")
    code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    code_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    session_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    paired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    jurisdiction: Mapped[Jurisdiction] = relationship()
