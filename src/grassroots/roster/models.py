"""The roster's own rows: a worker's work phone (encrypted, masked on display, revealed
with a reason and audited) and training entries (free text with a date).

Only what managing the work needs: no home address, ID number or any personal profile; the
workload figures are counted from cases and rounds, never stored per person.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grassroots.accounts.models import User
from grassroots.db import Base, UTCDateTime, utcnow
from grassroots.privacy.sealed_columns import register as register_sealed


class WorkerContact(Base):
    """A staff member's work phone, encrypted (AES-GCM, field "phone"), one row per user."""

    __tablename__ = "worker_contact"

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    phone_enc: Mapped[bytes] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))


class TrainingEntry(Base):
    """One training a worker attended: a day and free text (e.g. 人民调解业务培训)."""

    __tablename__ = "worker_training"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


register_sealed(WorkerContact.phone_enc, "phone")
