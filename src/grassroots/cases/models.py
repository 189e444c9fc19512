"""The case, its parties, its timeline, its links and shares (DESIGN §4).

The dictionaries it draws on (category, source) are grassroots.dictionary's; the deadline
tables are cases.deadlines', the Idempotency-Key rows cases.intake's.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grassroots.accounts.models import User
from grassroots.db import Base, UTCDateTime, utcnow
from grassroots.geo.models import Jurisdiction, Unit
from grassroots.privacy.sealed_columns import register as register_sealed


class CaseKind(StrEnum):
    dispute = "dispute"  # 矛盾纠纷
    request = "request"  # 诉求 / 事件


class CaseState(StrEnum):
    registered = "registered"
    accepted = "accepted"
    in_progress = "in_progress"
    resolved = "resolved"
    closed = "closed"
    rejected = "rejected"
    terminated = "terminated"
    suspended = "suspended"  # 中止: the clock stops until resume


OPEN_STATES: frozenset[str] = frozenset(
    {
        CaseState.registered,
        CaseState.accepted,
        CaseState.in_progress,
        CaseState.suspended,
    }
)


class Case(Base):
    __tablename__ = "case_file"
    __table_args__ = (
        Index("ix_case_file_township_registered", "township_code", "registered_at"),
        Index("ix_case_file_state_due", "state", "resolve_due"),
        Index("ix_case_file_unit_state", "unit_id", "state"),
        Index("ix_case_file_registered_id", "registered_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)  # 一案一码 990101-2026-000123
    kind: Mapped[str] = mapped_column(String(16))
    category_code: Mapped[str] = mapped_column(ForeignKey("case_category.code"), index=True)
    source_code: Mapped[str] = mapped_column(ForeignKey("case_source.code"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)

    # Where: the point, the grid it fell in and the codes at every level, kept on the case so
    # statistics never join the jurisdiction tree (and old cases keep the codes then valid).
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    address: Mapped[str] = mapped_column(String(300), default="")
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("jurisdiction.id"))
    county_code: Mapped[str] = mapped_column(String(12), index=True)
    township_code: Mapped[str | None] = mapped_column(String(12))
    village_code: Mapped[str | None] = mapped_column(String(12), index=True)
    grid_code: Mapped[str | None] = mapped_column(String(15))

    # Who holds it now.
    state: Mapped[str] = mapped_column(String(16), default=CaseState.registered.value)
    level: Mapped[str] = mapped_column(String(16))  # village / township / county (Level values)
    holder_jurisdiction_id: Mapped[int] = mapped_column(ForeignKey("jurisdiction.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    registered_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))

    people_involved: Mapped[int] = mapped_column(Integer, default=0)
    amount_involved: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    violence_risk: Mapped[bool] = mapped_column(default=False)  # 民转刑风险
    risk_level: Mapped[str] = mapped_column(String(16), default="low")  # low / medium / high

    # Clock. Deadlines are computed on the working-day calendar when the clock (re)starts.
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accept_due: Mapped[date | None] = mapped_column(Date)
    resolve_due: Mapped[date | None] = mapped_column(Date)
    follow_up_due: Mapped[date | None] = mapped_column(Date)
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A deadline the source set (12345's 办理时限): no accept or resolve clock runs past it.
    source_due_on: Mapped[date | None] = mapped_column(Date)
    # The running clock (accept, resolve or follow-up, whichever the state waits for):
    # started / yellow-from / due dates, kept so lists filter by light and overdue in SQL.
    # None while no clock runs (suspended, closed, rejected, terminated).
    clock_started_on: Mapped[date | None] = mapped_column(Date)
    clock_yellow_on: Mapped[date | None] = mapped_column(Date)
    clock_due_on: Mapped[date | None] = mapped_column(Date, index=True)

    # Outcome.
    outcome: Mapped[str | None] = mapped_column(String(32))
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    resolved_level: Mapped[str | None] = mapped_column(String(16))
    satisfaction: Mapped[str | None] = mapped_column(String(32))  # basically_satisfied
    # The latest follow-up's finding on the agreement (performed / partly / not_performed)
    # and, when not performed, the route taken (urge / judicial_confirmation / litigation).
    performance: Mapped[str | None] = mapped_column(String(24))
    performance_route: Mapped[str | None] = mapped_column(String(32))
    # The resident's own rating of the latest resolution through the public channel
    # (grassroots.residents), counted apart from the follow-up's `satisfaction`; `spam`: a
    # public report staff marked as spam (audited), left out of every figure.
    resident_rating: Mapped[str | None] = mapped_column(String(32))
    spam: Mapped[bool] = mapped_column(default=False, server_default=false())
    escalation_count: Mapped[int] = mapped_column(default=0)
    reopen_count: Mapped[int] = mapped_column(default=0)
    # Earlier resolve deadlines (before escalation, referral or 返工) that were missed:
    # kept with the rows of cases.deadlines' DeadlineRecord, in the same transaction.
    missed_deadlines: Mapped[int] = mapped_column(default=0)

    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id"))
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012  (SQLAlchemy reads it)

    parties: Mapped[list[Party]] = relationship(
        back_populates="case", order_by="Party.id", cascade="all, delete-orphan"
    )
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", order_by="CaseEvent.id", cascade="all, delete-orphan"
    )
    shares: Mapped[list[CaseShare]] = relationship(
        back_populates="case", order_by="CaseShare.id", cascade="all, delete-orphan"
    )
    holder: Mapped[Jurisdiction] = relationship(foreign_keys=[holder_jurisdiction_id])
    unit: Mapped[Unit | None] = relationship(foreign_keys=[unit_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])


class PartyRole(StrEnum):
    applicant = "applicant"  # 申请人
    respondent = "respondent"  # 被申请人
    third_party = "third_party"  # 第三人


class Party(Base):
    """A party to a case. Contact fields are ciphertext + blind index (access-control issue)."""

    __tablename__ = "case_party"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(64))
    phone_enc: Mapped[bytes | None] = mapped_column()
    phone_bidx: Mapped[str | None] = mapped_column(String(64), index=True)
    id_number_enc: Mapped[bytes | None] = mapped_column()
    id_number_bidx: Mapped[str | None] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(300), default="")

    case: Mapped[Case] = relationship(back_populates="parties")


class CaseEvent(Base):
    """One timeline entry per transition: who, when, from → to, level/unit, note, details."""

    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    level: Mapped[str] = mapped_column(String(16))
    holder_jurisdiction_id: Mapped[int] = mapped_column(ForeignKey("jurisdiction.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    case: Mapped[Case] = relationship(back_populates="events")


class CaseLink(Base):
    """related / duplicate links between cases (duplicate_of is also kept on the case)."""

    __tablename__ = "case_link"
    __table_args__ = (UniqueConstraint("case_id", "other_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    other_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # related / duplicate


class CaseSequence(Base):
    """Per county and year counter for 一案一码; incremented inside the registering transaction."""

    __tablename__ = "case_sequence"

    county_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


class ShareRole(StrEnum):
    lead = "lead"  # 主办
    co = "co"  # 协办


class CaseShare(Base):
    """A joint case (联调) shared with another jurisdiction's centre or with a unit."""

    __tablename__ = "case_share"
    __table_args__ = (UniqueConstraint("case_id", "jurisdiction_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    jurisdiction_id: Mapped[int | None] = mapped_column(ForeignKey("jurisdiction.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    role: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    case: Mapped[Case] = relationship(back_populates="shares")
    jurisdiction: Mapped[Jurisdiction | None] = relationship()
    unit: Mapped[Unit | None] = relationship()


class DeadlineRecord(Base):
    """One resolve deadline of a case that a later clock superseded (issue 15 item 2): the
    deadline at a level that escalation (上报) or referral (交办下派) ended, or the one a
    resolution met or missed before 返工 started a new clock. Written in the transaction of
    that transition (grassroots.cases.deadlines.history). The running deadline is the
    case's own `resolve_due`; these rows are the ones before it, so that a case that missed
    any deadline is not counted 按期, and the days each was overdue count in 超期 as of a
    past day (grassroots.cases.tallies.overdue; docs/metrics.md)."""

    __tablename__ = "case_deadline_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    level: Mapped[str] = mapped_column(String(16))  # the level whose deadline it was
    due: Mapped[date] = mapped_column(Date)
    ended_at: Mapped[datetime] = mapped_column(UTCDateTime())  # when the next clock started
    ended_by: Mapped[str] = mapped_column(String(16))  # escalate / refer_down / reopen
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # reopen: resolved then
    missed: Mapped[bool] = mapped_column(default=False)  # ended (or resolved) after `due`
    exact: Mapped[bool] = mapped_column(default=True)  # False: reconstructed (migration 0016)


register_sealed(Party.phone_enc, "phone")
register_sealed(Party.id_number_enc, "id_number")
