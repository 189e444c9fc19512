"""The in-app inbox (站内通知): one row per recipient of an event on a case.

A row is written in the same transaction as the event that causes it (cases.notices), so a
rolled-back action leaves no notice. What a notice says is kept as its kind and a few
parameters a recipient may see (the case code, category, place and the actor's name — never
a party's name, phone or address); the text is built from them in the reader's language.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from grassroots.db import Base, UTCDateTime, utcnow


class Notification(Base):
    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_user_id_id", "user_id", "id"),
        Index("ix_notification_user_unread", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    kind: Mapped[str] = mapped_column(String(32))  # notifications.kinds.KINDS
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id"), index=True)
    case_code: Mapped[str] = mapped_column(String(32), default="")
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
