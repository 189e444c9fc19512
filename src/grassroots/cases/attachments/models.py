"""One row per file attached to a case (optionally to one of its timeline entries). The
bytes are on disk under their SHA-256 (cases.attachments.store). No original file name is
kept: names of files often name people; a download is named by the case code and row."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from grassroots.db import Base, UTCDateTime, utcnow


class Attachment(Base):
    __tablename__ = "case_attachment"
    __table_args__ = (UniqueConstraint("case_id", "sha256", name="uq_case_attachment_file"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("case_event.id"))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(8))  # jpeg png webp pdf docx xlsx
    has_thumbnail: Mapped[bool] = mapped_column(default=False)
    kept_location: Mapped[bool] = mapped_column(default=False)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
