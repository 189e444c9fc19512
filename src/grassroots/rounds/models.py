"""排查 rounds (主动排查) and the matters found on them, and their monthly aggregate.

Rounds are about matters, never about people: a round names its grid, its day, what was
checked and the matters found; there is no household register, no log of people visited and
no track of the worker. A location is stored only on a matter, where it was found.
A round is never rewritten: it is a record of work done (its matters may point at the case
each became, registered in the same transaction).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    PrimaryKeyConstraint,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grassroots.accounts.models import User
from grassroots.cases.models import Case
from grassroots.db import Base, UTCDateTime, utcnow
from grassroots.dictionary.models import ROUND_SOURCE

__all__ = ["ROUND_SOURCE", "Check", "MatterOutcome", "PatrolRound", "RoundAggregate", "RoundMatter"]
from grassroots.geo.models import Jurisdiction


class Check(StrEnum):
    """What a round checked (any of them, with free text beside)."""

    dispute_hotspot = "dispute_hotspot"  # 矛盾纠纷隐患点
    boundary_hazard = "boundary_hazard"  # 山林土地边界隐患
    follow_up_visit = "follow_up_visit"  # 回访（已化解纠纷）
    other = "other"  # 其他（见说明）


class MatterOutcome(StrEnum):
    case = "case"  # registered as a case in the same step
    noted = "noted"  # noted only
    lead = "lead"  # became a lead afterwards (grassroots.leads.found), lead_code


class PatrolRound(Base):
    """One round in one grid on one day, recorded by the worker who made it."""

    __tablename__ = "patrol_round"
    __table_args__ = (Index("ix_patrol_round_grid_day", "grid_id", "held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("jurisdiction.id"))
    # The grid's path, kept on the round for scope and statistics (as on a case).
    county_code: Mapped[str] = mapped_column(String(12))
    township_code: Mapped[str] = mapped_column(String(12))
    village_code: Mapped[str] = mapped_column(String(12))
    grid_code: Mapped[str] = mapped_column(String(15), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    checks: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    grid: Mapped[Jurisdiction] = relationship()
    recorded_by: Mapped[User] = relationship()
    matters: Mapped[list[RoundMatter]] = relationship(
        back_populates="round", order_by="RoundMatter.seq"
    )


class RoundMatter(Base):
    """A matter found on a round: noted, registered as a case (case_id), or made a lead
    (lead_code: the lead's code, so the rounds need not read the leads' tables)."""

    __tablename__ = "round_matter"
    __table_args__ = (
        CheckConstraint("outcome in ('case','noted','lead')", name="outcome"),
        CheckConstraint("(outcome = 'case') = (case_id is not null)", name="case_link"),
        CheckConstraint("(outcome = 'lead') = (lead_code is not null)", name="lead_link"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("patrol_round.id"), index=True)
    seq: Mapped[int] = mapped_column()
    summary: Mapped[str] = mapped_column(String(200))
    details: Mapped[str] = mapped_column(Text, default="")
    category_code: Mapped[str] = mapped_column(ForeignKey("case_category.code"))
    lat: Mapped[float | None] = mapped_column(Float)  # only where the matter was found
    lng: Mapped[float | None] = mapped_column(Float)
    outcome: Mapped[str] = mapped_column(String(8))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id"), index=True)
    lead_code: Mapped[str | None] = mapped_column(ForeignKey("lead.code"), index=True)

    round: Mapped[PatrolRound] = relationship(back_populates="matters")
    case: Mapped[Case | None] = relationship()


# Counters per month of the round (held_on) × grid: docs/metrics.md (排查走访).
ROUND_COUNTERS: tuple[str, ...] = ("rounds", "matters", "matters_cased")


class RoundAggregate(Base):
    """Rounds held and matters found per month × grid, kept in the writer's transaction."""

    __tablename__ = "stats_rounds"
    __table_args__ = (
        PrimaryKeyConstraint(
            "county_code", "month", "township_code", "village_code", "grid_code",
            name="pk_stats_rounds",
        ),
        Index("ix_stats_rounds_township", "township_code", "month"),
        Index("ix_stats_rounds_village", "village_code", "month"),
    )  # fmt: skip

    month: Mapped[date] = mapped_column(Date)
    county_code: Mapped[str] = mapped_column(String(12))
    township_code: Mapped[str] = mapped_column(String(12))
    village_code: Mapped[str] = mapped_column(String(12))
    grid_code: Mapped[str] = mapped_column(String(15))
    rounds: Mapped[int] = mapped_column(BigInteger, default=0)
    matters: Mapped[int] = mapped_column(BigInteger, default=0)
    matters_cased: Mapped[int] = mapped_column(BigInteger, default=0)
