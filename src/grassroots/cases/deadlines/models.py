"""Tables of the case clock: the deadline policies per (category, level) and the sweep marks
that make the sweep idempotent. (The holiday schedule is grassroots.calendar's.)"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from grassroots.db import Base, UTCDateTime, utcnow


class DeadlinePolicy(Base):
    """Working-day time limits for one (source, category, level, violence_risk).

    category_code "" is the default row for a level (every category without its own row);
    source_code "" applies to every source, a source's own rows (e.g. hotline_12345) first.
    """

    __tablename__ = "deadline_policy"
    __table_args__ = (
        UniqueConstraint(
            "source_code", "category_code", "level", "violence_risk", name="uq_deadline_policy_key"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_code: Mapped[str] = mapped_column(String(32), default="", server_default="")
    category_code: Mapped[str] = mapped_column(String(32), default="")
    level: Mapped[str] = mapped_column(String(16))  # village / township / county / city
    violence_risk: Mapped[bool] = mapped_column(default=False)
    accept_days: Mapped[int] = mapped_column()
    resolve_days: Mapped[int] = mapped_column()
    # A limit stated in months (人民调解: 一般在一个月内调结): the resolve deadline is then the
    # earlier of resolve_days working days and this many months (民法典 arts. 201-203).
    resolve_months: Mapped[int | None] = mapped_column(default=None)
    follow_up_days: Mapped[int] = mapped_column()
    auto_escalate: Mapped[bool] = mapped_column(default=False)
    basis: Mapped[str] = mapped_column(Text, default="")  # where the figure comes from
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class SweepMark(Base):
    """The sweep acted once on (case, deadline kind, due date, signal): inserted in the same
    transaction as the timeline event / escalation, so a second sweep finds it and skips."""

    __tablename__ = "deadline_sweep_mark"
    __table_args__ = (UniqueConstraint("case_id", "kind", "due", "signal"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # accept / resolve / follow_up
    due: Mapped[date] = mapped_column(Date)
    signal: Mapped[str] = mapped_column(String(16))  # yellow / red / escalated
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
