"""Maintained aggregate tables (DESIGN §5): dashboards and reports read these, never the cases.

Kept exact by the flush listener in grassroots.cases.tallies.maintain, in the same
transaction as the case change. Grain: month × village × category × kind (the cohort and
the deadline tables) and day × village × category × kind for the cases still open (so that 超期数
can be counted "as of now").
Township/village codes are '' when a case has none (the key columns are NOT NULL).
Every case counts twice: in its category's row and in the roll-up row of category "*" (all
categories), which the dashboards read when no category is chosen. Each of the two is also
counted in its township's row (village_code "*") and its county's row (township_code and
village_code "*"), so that a county or a city reads one row per county and month instead of
one per village (issue 22; grassroots.cases.tallies.contribution.rolled_up). Readers pick
the rows of the level they show (grassroots.stats.scope.Scope.places).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import BigInteger, Date, Index, PrimaryKeyConstraint, String
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
    "resident_rated",
    "resident_satisfied",
    "violence_risk",
    "violence_resolved",
    "duration_days",
)

# Deadline counters: cases whose resolve_due falls in the month; on time: resolved (or, for
# on_time_terminated, 调解终止) by it, no earlier deadline missed.
DUE_COUNTERS: tuple[str, ...] = ("due", "on_time", "on_time_terminated")


class _Key:
    # Key order (category, county, period, township, village) serves the dashboards' reads:
    # one category or the roll-up "*", one county, a range of months.
    category_code: Mapped[str] = mapped_column(String(32))
    county_code: Mapped[str] = mapped_column(String(12))
    township_code: Mapped[str] = mapped_column(String(12))
    village_code: Mapped[str] = mapped_column(String(12))
    # dispute (矛盾纠纷) / request (诉求), the case's kind: every figure can be split by it
    # (issue 15 item 4, migration 0031_figs_kind_split); sums over both when not chosen.
    kind: Mapped[str] = mapped_column(String(16))


def _key(name: str, when: str) -> tuple[Any, ...]:
    return (
        PrimaryKeyConstraint(
            "category_code",
            "county_code",
            when,
            "township_code",
            "village_code",
            "kind",
            name=f"pk_{name}",
        ),
        Index(f"ix_{name}_township", "category_code", "township_code", when),
        Index(f"ix_{name}_village", "category_code", "village_code", when),
    )


class CohortAggregate(_Key, Base):
    """Per registration month: how many cases were registered and what has become of them."""

    __tablename__ = "stats_cohort"
    __table_args__ = _key("stats_cohort", "month")

    month: Mapped[date] = mapped_column(Date)  # first day of the month
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
    # The residents' own ratings (grassroots.residents): a source of 满意率 of its own.
    resident_rated: Mapped[int] = mapped_column(BigInteger, default=0)
    resident_satisfied: Mapped[int] = mapped_column(BigInteger, default=0)
    violence_risk: Mapped[int] = mapped_column(BigInteger, default=0)
    violence_resolved: Mapped[int] = mapped_column(BigInteger, default=0)
    duration_days: Mapped[int] = mapped_column(BigInteger, default=0)


class DueAggregate(_Key, Base):
    """Per month of the resolve deadline: cases due, and those resolved by the deadline."""

    __tablename__ = "stats_due"
    __table_args__ = _key("stats_due", "month")

    month: Mapped[date] = mapped_column(Date)
    due: Mapped[int] = mapped_column(BigInteger, default=0)
    on_time: Mapped[int] = mapped_column(BigInteger, default=0)
    on_time_terminated: Mapped[int] = mapped_column(BigInteger, default=0)


class OpenAggregate(_Key, Base):
    """Cases still open, by the day their resolve deadline falls on (rows at zero are deleted)."""

    __tablename__ = "stats_open"
    __table_args__ = _key("stats_open", "due_day")

    due_day: Mapped[date] = mapped_column(Date)
    open_count: Mapped[int] = mapped_column(BigInteger, default=0)


class OpenMonthAggregate(_Key, Base):
    """The same open cases by the month of their deadline: 超期数 sums whole months here and
    only the current month's days in stats_open, however long the history."""

    __tablename__ = "stats_open_month"
    __table_args__ = _key("stats_open_month", "month")

    month: Mapped[date] = mapped_column(Date)
    open_count: Mapped[int] = mapped_column(BigInteger, default=0)


# Figures by kind and source: cases REGISTERED in the month, per kind (dispute / request) and
# source, and what became of them (grassroots.cases.tallies.figures defines each counter).
FIGURE_COUNTERS: tuple[str, ...] = (
    "registered",
    "accepted",
    "resolved",
    "terminated",
    "terminated_in_time",
    "rejected",
    "pending",
    "followed_up_resolved",
    "satisfied_resolved",
    "followed_up_terminated",
    "satisfied_terminated",
    "followed_up_rejected",
    "satisfied_rejected",
    "amount_fen",
    "mass",
)


class FigureAggregate(Base):
    """Per registration month × village × kind × source, over all categories: the report's
    split of disputes and requests, by source, with the outcomes the assessment asks for."""

    __tablename__ = "stats_figures"
    __table_args__ = (
        PrimaryKeyConstraint(
            "county_code", "month", "township_code", "village_code", "kind", "source_code",
            name="pk_stats_figures",
        ),
        Index("ix_stats_figures_township", "township_code", "month"),
        Index("ix_stats_figures_village", "village_code", "month"),
    )  # fmt: skip

    month: Mapped[date] = mapped_column(Date)
    county_code: Mapped[str] = mapped_column(String(12))
    township_code: Mapped[str] = mapped_column(String(12))
    village_code: Mapped[str] = mapped_column(String(12))
    kind: Mapped[str] = mapped_column(String(16))
    source_code: Mapped[str] = mapped_column(String(32))
    registered: Mapped[int] = mapped_column(BigInteger, default=0)
    accepted: Mapped[int] = mapped_column(BigInteger, default=0)
    resolved: Mapped[int] = mapped_column(BigInteger, default=0)
    terminated: Mapped[int] = mapped_column(BigInteger, default=0)
    terminated_in_time: Mapped[int] = mapped_column(BigInteger, default=0)
    rejected: Mapped[int] = mapped_column(BigInteger, default=0)
    pending: Mapped[int] = mapped_column(BigInteger, default=0)
    followed_up_resolved: Mapped[int] = mapped_column(BigInteger, default=0)
    satisfied_resolved: Mapped[int] = mapped_column(BigInteger, default=0)
    followed_up_terminated: Mapped[int] = mapped_column(BigInteger, default=0)
    satisfied_terminated: Mapped[int] = mapped_column(BigInteger, default=0)
    followed_up_rejected: Mapped[int] = mapped_column(BigInteger, default=0)
    satisfied_rejected: Mapped[int] = mapped_column(BigInteger, default=0)
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # 分 (0.01 元)
    mass: Mapped[int] = mapped_column(BigInteger, default=0)


# Figures per grid (issue 23 item 3): cases REGISTERED in the month in the grid, those found
# on patrol (source 网格员巡查 or 主动排查发现), resolved, and resolved in the grid (at the
# village level, the lowest a case is held at: a grid worker's cases start there).
GRID_COUNTERS: tuple[str, ...] = ("registered", "found_by_patrol", "resolved", "resolved_in_grid")


def _grid_key(name: str, when: str) -> tuple[Any, ...]:
    return (
        PrimaryKeyConstraint(
            "county_code", when, "township_code", "village_code", "grid_code", name=f"pk_{name}"
        ),
        Index(f"ix_{name}_village", "village_code", when),
    )


class GridAggregate(Base):
    """Per registration month × grid: the grid's own figures (all categories)."""

    __tablename__ = "stats_grid"
    __table_args__ = _grid_key("stats_grid", "month")

    month: Mapped[date] = mapped_column(Date)
    county_code: Mapped[str] = mapped_column(String(12))
    township_code: Mapped[str] = mapped_column(String(12))
    village_code: Mapped[str] = mapped_column(String(12))
    grid_code: Mapped[str] = mapped_column(String(15))
    registered: Mapped[int] = mapped_column(BigInteger, default=0)
    found_by_patrol: Mapped[int] = mapped_column(BigInteger, default=0)
    resolved: Mapped[int] = mapped_column(BigInteger, default=0)
    resolved_in_grid: Mapped[int] = mapped_column(BigInteger, default=0)


class GridOpenAggregate(Base):
    """The grid's open cases (not suspended) by their resolve deadline's day: 超期 per grid
    = the rows before today (rows at zero are deleted)."""

    __tablename__ = "stats_open_grid"
    __table_args__ = _grid_key("stats_open_grid", "due_day")

    due_day: Mapped[date] = mapped_column(Date)
    county_code: Mapped[str] = mapped_column(String(12))
    township_code: Mapped[str] = mapped_column(String(12))
    village_code: Mapped[str] = mapped_column(String(12))
    grid_code: Mapped[str] = mapped_column(String(15))
    open_count: Mapped[int] = mapped_column(BigInteger, default=0)


class OverdueDayAggregate(_Key, Base):
    """超期 as of any day (issue 15 item 6): each spell a deadline was overdue — from the day
    after the due date to the day the case left that deadline (resolved, terminated,
    suspended, escalated, referred) — adds +1 on its first overdue day and −1 on the day it
    ended. The cases overdue at the end of day D = the sum of `net` over days ≤ D."""

    __tablename__ = "stats_overdue_day"
    __table_args__ = _key("stats_overdue_day", "day")

    day: Mapped[date] = mapped_column(Date)
    net: Mapped[int] = mapped_column(BigInteger, default=0)


class OverdueMonthAggregate(_Key, Base):
    """The same changes by month: a count as of D sums whole months here and only D's own
    month in stats_overdue_day."""

    __tablename__ = "stats_overdue_month"
    __table_args__ = _key("stats_overdue_month", "month")

    month: Mapped[date] = mapped_column(Date)
    net: Mapped[int] = mapped_column(BigInteger, default=0)
