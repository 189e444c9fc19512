"""The official holiday schedule an administrator enters (tables calendar_year, calendar_day)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from grassroots.db import Base, UTCDateTime, utcnow


class CalendarYear(Base):
    """A year whose official schedule (国务院办公厅关于某年部分节假日安排的通知) an administrator
    has entered. Its days in calendar_day then override the chinesecalendar package."""

    __tablename__ = "calendar_year"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    notice: Mapped[str] = mapped_column(String(200), default="")  # e.g. 国办发明电〔2026〕7号
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class CalendarDay(Base):
    """One day an administrator declared: a holiday (is_working False) or a make-up working
    day on a weekend (调休, is_working True). Days not listed follow the package / weekends."""

    __tablename__ = "calendar_day"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_working: Mapped[bool] = mapped_column()
    name: Mapped[str] = mapped_column(String(64), default="")  # 春节 / 国庆节 / 调休上班
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
