"""One imported 12345 work order per row: its number, the case it became, its times."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from grassroots.db import Base, UTCDateTime, utcnow


class HotlineOrder(Base):
    """工单编号 is unique: importing a file again registers nothing new."""

    __tablename__ = "hotline_order"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_no: Mapped[str] = mapped_column(String(64), unique=True)  # 工单编号
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), unique=True)
    called_at: Mapped[datetime] = mapped_column(UTCDateTime())  # 来电时间
    demand_type: Mapped[str] = mapped_column(String(64), default="")  # 诉求类型 as sent
    time_limit_on: Mapped[date | None] = mapped_column(Date)  # 办理时限
    feedback_due_on: Mapped[date | None] = mapped_column(Date)  # 要求反馈时间
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The case's version when its reply (办结反馈) last went into the outbox; None: never. A
    # later action on the case (a follow-up's rating, 返工 and a new result) owes it again.
    reply_case_version: Mapped[int | None] = mapped_column()
