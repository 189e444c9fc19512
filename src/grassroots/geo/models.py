"""Jurisdiction tree, boundaries with history, and organisational units."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grassroots.db import Base, UTCDateTime, utcnow


class Level(StrEnum):
    province = "province"
    city = "city"
    county = "county"
    township = "township"
    village = "village"
    grid = "grid"


LEVEL_ORDER: tuple[Level, ...] = (
    Level.province,
    Level.city,
    Level.county,
    Level.township,
    Level.village,
    Level.grid,
)

# Digits of the code that identify a node at each level (the rest are zeros): the subtree of
# a node is every code that starts with its significant prefix.
SIGNIFICANT_DIGITS: dict[Level, int] = {
    Level.province: 2,
    Level.city: 4,
    Level.county: 6,
    Level.township: 9,
    Level.village: 12,
    Level.grid: 15,
}


def parent_level(level: Level) -> Level | None:
    i = LEVEL_ORDER.index(level)
    return LEVEL_ORDER[i - 1] if i > 0 else None


def code_prefix(level: Level, code: str) -> str:
    return code[: SIGNIFICANT_DIGITS[level]]


class Jurisdiction(Base):
    """One node of the administrative tree, valid over [valid_from, valid_to)."""

    __tablename__ = "jurisdiction"
    __table_args__ = (
        UniqueConstraint("code", "valid_from"),
        Index("ix_jurisdiction_parent_current", "parent_id", "valid_to"),
        CheckConstraint(
            "level in ('province','city','county','township','village','grid')", name="level"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(15), index=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("jurisdiction.id"), index=True)
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    valid_to: Mapped[datetime | None] = mapped_column(UTCDateTime())

    parent: Mapped[Jurisdiction | None] = relationship(remote_side=[id])
    boundaries: Mapped[list[Boundary]] = relationship(back_populates="jurisdiction")

    @property
    def prefix(self) -> str:
        return code_prefix(Level(self.level), self.code)


class Boundary(Base):
    """A jurisdiction's boundary (WGS-84 Polygon/MultiPolygon as WKB), with history."""

    __tablename__ = "boundary"
    __table_args__ = (Index("ix_boundary_current", "jurisdiction_id", "valid_to"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    jurisdiction_id: Mapped[int] = mapped_column(ForeignKey("jurisdiction.id"))
    wkb: Mapped[bytes] = mapped_column(LargeBinary)
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    valid_to: Mapped[datetime | None] = mapped_column(UTCDateTime())

    jurisdiction: Mapped[Jurisdiction] = relationship(back_populates="boundaries")


class UnitKind(StrEnum):
    centre = "centre"  # 综治中心
    judicial_office = "judicial_office"  # 司法所
    police_station = "police_station"  # 派出所
    mediation_committee = "mediation_committee"  # 人民调解委员会
    department = "department"  # 县直职能部门
    court = "court"  # 人民法院 / 法庭
    letters_office = "letters_office"  # 信访局


class Unit(Base):
    """An organisation attached to a jurisdiction: where cases are routed to."""

    __tablename__ = "unit"
    __table_args__ = (UniqueConstraint("code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(32))
    jurisdiction_id: Mapped[int] = mapped_column(ForeignKey("jurisdiction.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)

    jurisdiction: Mapped[Jurisdiction] = relationship()
