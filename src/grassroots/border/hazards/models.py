"""The tables of 边界隐患: a hazard (a place: GeoJSON point or polygon), the jurisdictions of
the deployment that own it, its linked cases and meetings, and its status timeline. Owners
outside the deployment are named organisations in `outside`. Description, measures and
timeline notes are sealed (they may name people); nothing here lists people."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grassroots.accounts.models import User
from grassroots.border.meetings.models import BorderMeeting
from grassroots.border.sealing import BORDER_USAGE
from grassroots.cases.models import Case
from grassroots.db import Base, UTCDateTime, utcnow
from grassroots.geo.models import Jurisdiction
from grassroots.privacy.sealed_columns import register as register_sealed


def _link(name: str, column: str, target: str) -> Table:
    return Table(
        name,
        Base.metadata,
        Column("hazard_id", ForeignKey("border_hazard.id"), primary_key=True),
        Column(column, ForeignKey(f"{target}.id"), primary_key=True, index=True),
    )


hazard_place = _link("border_hazard_place", "jurisdiction_id", "jurisdiction")
hazard_case = _link("border_hazard_case", "case_id", "case_file")
hazard_meeting = _link("border_hazard_meeting", "meeting_id", "border_meeting")


class BorderHazard(Base):
    """One 边界隐患: a boundary area and the matter there."""

    __tablename__ = "border_hazard"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))  # the area, e.g. 青石镇与柳河镇交界草场
    kind: Mapped[str] = mapped_column(String(16))  # pasture / forest / water / land / other
    risk: Mapped[str] = mapped_column(String(8))  # high / medium / low
    status: Mapped[str] = mapped_column(String(16), index=True)  # hazards.workflow.STATUSES
    geometry: Mapped[dict[str, Any]] = mapped_column(JSON)  # GeoJSON Point or Polygon
    outside: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # name, code
    description_enc: Mapped[bytes] = mapped_column()  # 隐患情况 (sealed)
    measures_enc: Mapped[bytes] = mapped_column()  # 防范化解措施 (sealed, may be empty)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    jurisdictions: Mapped[list[Jurisdiction]] = relationship(secondary=hazard_place)
    cases: Mapped[list[Case]] = relationship(secondary=hazard_case)
    meetings: Mapped[list[BorderMeeting]] = relationship(secondary=hazard_meeting)
    events: Mapped[list[HazardEvent]] = relationship(
        cascade="all, delete-orphan", order_by="HazardEvent.id"
    )


class HazardEvent(Base):
    """One entry of a hazard's timeline: registered, or a status change (with a note)."""

    __tablename__ = "border_hazard_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    hazard_id: Mapped[int] = mapped_column(ForeignKey("border_hazard.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    from_status: Mapped[str | None] = mapped_column(String(16))  # None: registered
    to_status: Mapped[str] = mapped_column(String(16))
    note_enc: Mapped[bytes] = mapped_column()  # sealed (may be empty)

    actor: Mapped[User] = relationship()


register_sealed(BorderHazard.description_enc, "description", BORDER_USAGE)
register_sealed(BorderHazard.measures_enc, "measures", BORDER_USAGE)
register_sealed(HazardEvent.note_enc, "event_note", BORDER_USAGE)
