"""Posts per grid (网格长 / 网格员) with their dates: who served a grid on a day.

A post is never deleted nor rewritten: a change of worker ends the old post (end_on) and
starts a new one, so the table is the grid's history. Dates are China days, both inclusive:
a post serves from start_on to end_on (open-ended while end_on is empty).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grassroots.accounts.models import User
from grassroots.db import Base, UTCDateTime, utcnow
from grassroots.geo.models import Jurisdiction


class PostKind(StrEnum):
    leader = "leader"  # 网格长
    worker = "worker"  # 网格员


class GridPost(Base):
    """One person's post in one grid over [start_on, end_on] (end_on empty: still serving)."""

    __tablename__ = "grid_post"
    __table_args__ = (
        Index("ix_grid_post_grid_end", "grid_id", "end_on"),
        CheckConstraint("kind in ('leader','worker')", name="kind"),
        CheckConstraint("end_on is null or end_on >= start_on", name="dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("jurisdiction.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    grid: Mapped[Jurisdiction] = relationship()
    user: Mapped[User] = relationship()

    def serves_on(self, day: date) -> bool:
        return self.start_on <= day and (self.end_on is None or day <= self.end_on)
