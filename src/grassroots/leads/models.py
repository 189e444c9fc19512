"""The lead, its timeline, the marks of the overdue sweep and the public path's hits.

A lead is a report about a matter, never a profile of a person: the people it names are one
encrypted text inside it (persons_enc), shown only to its verifiers; there is no index of
persons across leads. What was reported, the actions taken and every timeline note are
sealed too (they name people as often as not); only the title, the place and the codes stay
in clear, for lists and figures. The informant's identity and contact are sealed under a
key usage of their own (grassroots.leads.sealing) and leave the database only through an
audited reveal.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from grassroots.db import Base, UTCDateTime, utcnow
from grassroots.leads.sealing import INFORMANT_USAGE, LEAD_USAGE
from grassroots.privacy.sealed_columns import register as register_sealed


class LeadSource(StrEnum):
    report = "report"  # 举报
    transfer = "transfer"  # 移送
    assigned = "assigned"  # 上级交办
    patrol = "patrol"  # 主动排查发现 (a matter found on a 排查 round, grassroots.leads.found)


class LeadState(StrEnum):
    received = "received"  # 已接收
    assigned = "assigned"  # 已分办
    verifying = "verifying"  # 核查中
    verified = "verified"  # 已核查
    replied = "replied"  # 已反馈
    closed = "closed"  # 已办结


class Finding(StrEnum):
    substantiated = "substantiated"  # 属实
    partly = "partly"  # 部分属实
    unfounded = "unfounded"  # 不属实
    unverifiable = "unverifiable"  # 无法核实


# States in which verification is still owed (the overdue sweep looks at these).
UNVERIFIED_STATES: frozenset[str] = frozenset(
    {LeadState.received, LeadState.assigned, LeadState.verifying}
)


class Lead(Base):
    __tablename__ = "lead"
    __table_args__ = (
        Index("ix_lead_state_due", "state", "due_on"),
        Index("ix_lead_batch", "issuing_body", "batch"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("lead.id"), index=True)
    source: Mapped[str] = mapped_column(String(16))
    issuing_body: Mapped[str] = mapped_column(String(100), default="")
    document_number: Mapped[str] = mapped_column(String(64), default="")
    batch: Mapped[str] = mapped_column(String(64), default="")
    category_code: Mapped[str] = mapped_column(ForeignKey("lead_category.code"))
    title: Mapped[str] = mapped_column(String(200))
    content_enc: Mapped[bytes | None] = mapped_column()  # what was reported (sealed)
    place: Mapped[str] = mapped_column(String(300), default="")
    occurred_on: Mapped[date | None] = mapped_column(Date)
    jurisdiction_code: Mapped[str] = mapped_column(String(12), index=True)
    subject_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    received_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    due_basis: Mapped[str] = mapped_column(String(8))  # issuer / policy
    state: Mapped[str] = mapped_column(String(16), default=LeadState.received.value)
    finding: Mapped[str | None] = mapped_column(String(16))
    actions_taken_enc: Mapped[bytes | None] = mapped_column()  # sealed
    verified_on: Mapped[date | None] = mapped_column(Date)
    replied_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    returns: Mapped[int] = mapped_column(default=0)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id"), index=True)
    overdue_since: Mapped[date | None] = mapped_column(Date)
    escalated_to: Mapped[str | None] = mapped_column(String(12))
    persons_enc: Mapped[bytes | None] = mapped_column()
    informant_name_enc: Mapped[bytes | None] = mapped_column()
    informant_contact_enc: Mapped[bytes | None] = mapped_column()
    anonymous: Mapped[bool] = mapped_column(default=False)
    receipt_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    # Optimistic locking: every UPDATE carries WHERE version = the version read.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class LeadEvent(Base):
    """One timeline entry per action. `public` entries are the progress an informant sees
    with the receipt code (the state and its day, never the note)."""

    __tablename__ = "lead_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("lead.id"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    note_enc: Mapped[bytes | None] = mapped_column()  # a note, reason or addition (sealed)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class LeadSweepMark(Base):
    """One signal of the overdue sweep per lead × due day × signal: a second run finds it."""

    __tablename__ = "lead_sweep_mark"
    __table_args__ = (UniqueConstraint("lead_id", "due", "signal"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("lead.id"))
    due: Mapped[date] = mapped_column(Date)
    signal: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LeadTally(Base):
    """The figures of leads, kept exact by every write of a lead in its own transaction
    (grassroots.leads.reporting.tallies): one row per year and month received × jurisdiction ×
    issuing body × batch × source × category (the month for a period's figures: the work report).
    Only top-level leads count (a split lead's sub-leads are
    parts of one lead)."""

    __tablename__ = "lead_tally"

    year: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[int] = mapped_column(primary_key=True)  # 1-12, of received_on
    jurisdiction_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    issuing_body: Mapped[str] = mapped_column(String(100), primary_key=True)
    batch: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(String(16), primary_key=True)
    category_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    received: Mapped[int] = mapped_column(default=0)
    verified: Mapped[int] = mapped_column(default=0)  # verified, replied or closed
    replied: Mapped[int] = mapped_column(default=0)  # replied or closed: cleared (清零)
    substantiated: Mapped[int] = mapped_column(default=0)  # 属实
    partly: Mapped[int] = mapped_column(default=0)  # 部分属实
    to_case: Mapped[int] = mapped_column(default=0)  # 转为案件


for _column, _field, _usage in (
    (Lead.content_enc, "content", LEAD_USAGE),
    (Lead.actions_taken_enc, "actions_taken", LEAD_USAGE),
    (Lead.persons_enc, "persons", LEAD_USAGE),
    (Lead.informant_name_enc, "informant_name", INFORMANT_USAGE),
    (Lead.informant_contact_enc, "informant_contact", INFORMANT_USAGE),
    (LeadEvent.note_enc, "note", LEAD_USAGE),
):
    register_sealed(_column, _field, _usage)
