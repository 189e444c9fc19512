"""The tables of joint handling: a side's tasks and the handlers' messages (both sealed).

A task is given to one side of the joint case: the case's holder jurisdiction (承办/属地) or
one of its shares (a jurisdiction's centre or a unit), named by jurisdiction or unit, not by
the share row, so that ending and renewing a share keeps the side's tasks.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Date, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grassroots.accounts.models import User
from grassroots.cases.attachments.models import Attachment
from grassroots.db import Base, UTCDateTime, utcnow
from grassroots.geo.models import Jurisdiction, Unit
from grassroots.joint.sealing import JOINT_USAGE
from grassroots.privacy.sealed_columns import register as register_sealed


class JointTask(Base):
    """One side's task in a joint case (分工任务)."""

    __tablename__ = "joint_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    jurisdiction_id: Mapped[int | None] = mapped_column(ForeignKey("jurisdiction.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    text_enc: Mapped[bytes] = mapped_column()  # what the side is to do (sealed)
    due_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    jurisdiction: Mapped[Jurisdiction | None] = relationship()
    unit: Mapped[Unit | None] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])


# The files a message carries: case attachments (cases.attachments), so that they are kept,
# served, scanned and expired as every file of the case is; one file may go with several
# messages.
joint_message_file = Table(
    "joint_message_file",
    Base.metadata,
    Column("message_id", ForeignKey("joint_message.id"), primary_key=True),
    Column("attachment_id", ForeignKey("case_attachment.id"), primary_key=True, index=True),
)


class JointMessage(Base):
    """One message of the handlers' thread (联调会商记录)."""

    __tablename__ = "joint_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    side: Mapped[str] = mapped_column(
        String(16)
    )  # the author's side when writing: holder / lead / co …
    body_enc: Mapped[bytes] = mapped_column()  # sealed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User] = relationship()
    files: Mapped[list[Attachment]] = relationship(
        secondary=joint_message_file, order_by=Attachment.id
    )


register_sealed(JointTask.text_enc, "task", JOINT_USAGE)
register_sealed(JointMessage.body_enc, "message", JOINT_USAGE)
