"""One counted request of a rate limit. The table keeps its first name (lead_public_hit): the
public leads path was its first user."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from grassroots.db import Base, UTCDateTime, utcnow


class RateHit(Base):
    """One request in a limit's bucket. `client` is a keyed hash of the client's address (or
    of another key such as a proof-of-work challenge), never the address itself."""

    __tablename__ = "lead_public_hit"
    __table_args__ = (Index("ix_lead_public_hit_key", "bucket", "client", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bucket: Mapped[str] = mapped_column(String(16))
    client: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
