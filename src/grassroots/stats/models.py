"""Maintained aggregate tables (DESIGN §5): dashboards and reports read these, never the cases.

Kept exact by the flush listener in grassroots.stats.maintain, in the same transaction as the
case change. Grain: month × village × category (the cohort and the deadline tables) and
day × village × category for the cases still open (so that 超期数 can be counted "as of now").
Township/village codes are '' when a case has none (the key columns are NOT NULL).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Date, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from grassroots.db import Base

# Cohort counters: cases REGISTERED in the month (local date, UTC+8), and what became of them.
COHORT_COUNTERS: tuple[str, ...] = (
    "registered",
    "accepted",
    "resolved",
    "terminated",
    "rejected",
    "resolved_village",
    "resolved_township",
    "resolved_county",
    "resolved_city",
    "escalated_beyond",
    "followed_up",
    "satisfied",
    "violence_risk",
    "violence_resolved",
    "duration_days",
)

# Deadline counters: cases whose resolve_due falls in the month.
DUE_COUNTERS: tuple[str, ...] = ("due", "on_time")


class _Key:
    county_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    township_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    village_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    category_code: Mapped[str] = mapped_column(String(32), primary_key=True)


class CohortAggregate(_Key, Base):
    """Per registration month: how many cases were registered and what has become of them."""

    __tablename__ = "stats_cohort"
    __table_args__ = (Index("ix_stats_cohort_township_month", "township_code", "month"),)

    month: Mapped[date] = mapped_column(Date, primary_key=True)  # first day of the month
    registered: Mapped[int] = mapped_column(BigInteger, default=0)
    accepted: Mapped[int] = mapped_column(BigInteger, default=0)
    resolved: Mapped[int] = mapped_column(BigInteger, default=0)
    terminated: Mapped[int] = mapped_column(BigInteger, default=0)
    rejected: Mapped[int] = mapped_column(BigInteger, default=0)
    resolved_village: Mapped[int] = mapped_column(BigInteger, default=0)
    resolved_township: Mapped[int] = mapped_column(BigInteger, default=0)
    resolved_county: Mapped[int] = mapped_column(BigInteger, default=0)
    resolved_city: Mapped[int] = mapped_column(BigInteger, default=0)
    escalated_beyond: Mapped[int] = mapped_column(BigInteger, default=0)
    followed_up: Mapped[int] = mapped_column(BigInteger, default=0)
    satisfied: Mapped[int] = mapped_column(BigInteger, default=0)
    violence_risk: Mapped[int] = mapped_column(BigInteger, default=0)
    violence_resolved: Mapped[int] = mapped_column(BigInteger, default=0)
    duration_days: Mapped[int] = mapped_column(BigInteger, default=0)


class DueAggregate(_Key, Base):
    """Per month of the resolve deadline: cases due, and those resolved by the deadline."""

    __tablename__ = "stats_due"
    __table_args__ = (Index("ix_stats_due_township_month", "township_code", "month"),)

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    due: Mapped[int] = mapped_column(BigInteger, default=0)
    on_time: Mapped[int] = mapped_column(BigInteger, default=0)


class OpenAggregate(_Key, Base):
    """Cases still open, by the day their resolve deadline falls on (rows at zero are deleted)."""

    __tablename__ = "stats_open"
    __table_args__ = (Index("ix_stats_open_township_due", "township_code", "due_day"),)

    due_day: Mapped[date] = mapped_column(Date, primary_key=True)
    open_count: Mapped[int] = mapped_column(BigInteger, default=0)
