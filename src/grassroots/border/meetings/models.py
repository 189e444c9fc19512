"""The tables of 边界联席会议: a meeting, its participating jurisdictions (in the deployment),
the cases it discussed, and its decisions. Partners outside the deployment are named (free
text and an optional jurisdiction code) in `outside`; the federation of deployments is not
here. Topics, notes and decisions are sealed (they may name people)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Date, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grassroots.accounts.models import User
from grassroots.border.sealing import BORDER_USAGE
from grassroots.cases.models import Case
from grassroots.db import Base, UTCDateTime, utcnow
from grassroots.geo.models import Jurisdiction
from grassroots.privacy.sealed_columns import register as register_sealed

meeting_place = Table(
    "border_meeting_place",
    Base.metadata,
    Column("meeting_id", ForeignKey("border_meeting.id"), primary_key=True),
    Column("jurisdiction_id", ForeignKey("jurisdiction.id"), primary_key=True, index=True),
)
meeting_case = Table(
    "border_meeting_case",
    Base.metadata,
    Column("meeting_id", ForeignKey("border_meeting.id"), primary_key=True),
    Column("case_id", ForeignKey("case_file.id"), primary_key=True, index=True),
)


class BorderMeeting(Base):
    """One 边界联席会议."""

    __tablename__ = "border_meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    place: Mapped[str] = mapped_column(String(200))  # where it was held (a hall, a village)
    outside: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # name, code
    topics_enc: Mapped[bytes] = mapped_column()  # 议题 (sealed)
    notes_enc: Mapped[bytes] = mapped_column()  # 会议情况 (sealed, may be empty)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    jurisdictions: Mapped[list[Jurisdiction]] = relationship(secondary=meeting_place)
    cases: Mapped[list[Case]] = relationship(secondary=meeting_case)
    decisions: Mapped[list[BorderDecision]] = relationship(
        cascade="all, delete-orphan", order_by="BorderDecision.id"
    )
    created_by: Mapped[User] = relationship()


class BorderDecision(Base):
    """One decision of a meeting (议定事项): what, who owns it, by when, done or not."""

    __tablename__ = "border_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("border_meeting.id"), index=True)
    text_enc: Mapped[bytes] = mapped_column()  # sealed
    owner: Mapped[str] = mapped_column(String(100))  # 责任单位: a unit, centre or partner
    due_on: Mapped[date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(default=False)


register_sealed(BorderMeeting.topics_enc, "topics", BORDER_USAGE)
register_sealed(BorderMeeting.notes_enc, "notes", BORDER_USAGE)
register_sealed(BorderDecision.text_enc, "decision", BORDER_USAGE)
