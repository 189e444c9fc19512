"""A resident's report and its ratings. The case itself lives in cases; these rows hold what
only the public channel carries: the receipt code's keyed hash, the consent given and the
ratings (a spam mark is the case action mark_spam: case_file.spam)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from grassroots.db import Base, UTCDateTime, utcnow


class PublicReport(Base):
    """One report: the case it became. `receipt_hash` is a keyed hash of the receipt code
    (the code itself is shown once and never stored). A report with a name or phone keeps
    the version of the consent text the resident agreed to (PIPL art. 14 and 29)."""

    __tablename__ = "public_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), unique=True)
    receipt_hash: Mapped[str] = mapped_column(String(64), unique=True)
    anonymous: Mapped[bool] = mapped_column(default=True)
    consent_version: Mapped[str] = mapped_column(String(16), default="")
    sms_requested: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PublicRating(Base):
    """The resident's rating of one resolution (`round`: the case's reopen count when rated):
    one per resolution, so a case reopened by 不满意 can be rated again when resolved again."""

    __tablename__ = "public_rating"
    __table_args__ = (UniqueConstraint("report_id", "round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("public_report.id"), index=True)
    round: Mapped[int] = mapped_column(default=0)
    rating: Mapped[str] = mapped_column(String(32))  # satisfied / basically_satisfied / unsatisfied
    comment: Mapped[str] = mapped_column(Text, default="")
    reopened: Mapped[bool] = mapped_column(default=False)
    rated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
