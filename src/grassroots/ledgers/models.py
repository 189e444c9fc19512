"""One row per imported ledger file (its hash: the same file twice imports nothing) and one
per case it brought in, with the ledger's own columns that have no place on a case."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from grassroots.db import Base, UTCDateTime, utcnow
from grassroots.privacy.sealed_columns import register as register_sealed


class LedgerImport(Base):
    """A ledger sheet imported: the file's SHA-256 with the sheet's name is unique."""

    __tablename__ = "ledger_import"
    __table_args__ = (UniqueConstraint("file_sha256", "sheet"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    file_sha256: Mapped[str] = mapped_column(String(64))
    sheet: Mapped[str] = mapped_column(String(100))
    filename: Mapped[str] = mapped_column(String(200))
    imported: Mapped[int] = mapped_column(default=0)  # cases written
    duplicates: Mapped[int] = mapped_column(default=0)  # rows matching cases already stored
    actor_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LedgerCase(Base):
    """A case that came from a ledger row: the row, the keyed fingerprint of the dispute
    (day, category, village, parties' names) and the columns kept as the ledger wrote them."""

    __tablename__ = "ledger_case"

    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("ledger_import.id"), index=True)
    row_no: Mapped[int] = mapped_column()
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    mediator: Mapped[str] = mapped_column(String(64), default="")  # 调解员
    file_no: Mapped[str] = mapped_column(String(64), default="")  # 卷宗号
    outcome_text: Mapped[str] = mapped_column(String(64), default="")  # 调解结果 as written
    performance_text: Mapped[str] = mapped_column(String(200), default="")  # 协议履行情况
    follow_up_enc: Mapped[bytes | None] = mapped_column()  # 回访情况 (may name people)


register_sealed(LedgerCase.follow_up_enc, "ledger.follow_up")
