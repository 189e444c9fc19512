"""Stored reports (generated on request or by the scheduler) and uploaded Word templates."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from grassroots.db import Base, UTCDateTime, utcnow


class ReportTemplate(Base):
    """A Word template a user uploaded (checked for unknown placeholders on upload)."""

    __tablename__ = "report_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    jurisdiction_code: Mapped[str] = mapped_column(String(15), index=True)  # who may use it
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReportFile(Base):
    """One generated file, kept under <data_dir>/reports/ for download."""

    __tablename__ = "report_file"
    __table_args__ = (Index("ix_report_file_scope", "jurisdiction_code", "period", "fmt"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    jurisdiction_code: Mapped[str] = mapped_column(String(15))
    period: Mapped[str] = mapped_column(String(32))  # 2026-03 / 2026-Q3 / ...
    fmt: Mapped[str] = mapped_column(String(8))  # docx / xlsx / pdf
    file_name: Mapped[str] = mapped_column(String(200))  # the name offered on download
    stored_name: Mapped[str] = mapped_column(String(100), unique=True)
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    template_id: Mapped[int | None] = mapped_column(ForeignKey("report_template.id"))
    scheduled: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
