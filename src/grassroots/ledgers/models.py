"""One row per imported ledger file (its hash: the same file twice imports nothing) and one
per case it brought in, with the ledger's own columns that have no place on a case; the
import page's uploads (encrypted, short-lived) and the centres' saved column mappings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
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


class LedgerUpload(Base):
    """A ledger file uploaded on the import page, waiting for its preview and 导入: the file
    encrypted (it names people), kept until it is imported or expires, then emptied."""

    __tablename__ = "ledger_upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    file_sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column()
    data_enc: Mapped[bytes | None] = mapped_column()  # the file (base64), None once done
    sheet: Mapped[str] = mapped_column(String(100), default="")  # "" the first
    mapping_toml: Mapped[str] = mapped_column(Text, default="")  # the mapping chosen
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # counts once imported
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The preview (a dry run) kept for the file, sheet and mapping it was made for, sealed
    # (its errors show values of the sheet): viewing it again does not check every row again.
    preview_key: Mapped[str | None] = mapped_column(String(64))
    preview_enc: Mapped[bytes | None] = mapped_column()
    # 导入 as any process sees it: "" (not running), running (by host:pid, rows written of
    # rows to write, last heard at), failed. A running import whose process is gone shows
    # as stopped; a finished one has its `result`.
    progress_state: Mapped[str] = mapped_column(String(16), default="", server_default="")
    progress_by: Mapped[str] = mapped_column(String(80), default="", server_default="")
    progress_done: Mapped[int] = mapped_column(default=0, server_default="0")
    progress_total: Mapped[int] = mapped_column(default=0, server_default="0")
    progress_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LedgerMapping(Base):
    """A column mapping saved under a name by a centre (its post's jurisdiction): reusable
    on the import page and by `grassroots ledger import --mapping-name`."""

    __tablename__ = "ledger_mapping"
    __table_args__ = (UniqueConstraint("jurisdiction_code", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    jurisdiction_code: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(60))
    toml: Mapped[str] = mapped_column(Text)
    actor_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


register_sealed(LedgerUpload.data_enc, "ledger.upload")
register_sealed(LedgerUpload.preview_enc, "ledger.preview")
