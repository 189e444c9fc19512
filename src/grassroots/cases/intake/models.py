"""The Idempotency-Key rows of POST /cases (grassroots.cases.intake.idempotency)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from grassroots.db import Base, UTCDateTime


class IdempotencyKey(Base):
    """One Idempotency-Key of one user on POST /cases: the request's hash, whether it is
    still running, and the first response (stored in the registering transaction)."""

    __tablename__ = "idempotency_key"

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))  # in_flight / done
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id"))
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[bytes | None] = mapped_column(LargeBinary)
