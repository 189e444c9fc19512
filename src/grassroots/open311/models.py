"""Open311 client keys and the requests that came in through them (docs/open311.md)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grassroots.accounts.models import User
from grassroots.db import Base, UTCDateTime, utcnow
from grassroots.privacy.sealed_columns import register as register_sealed


class Open311Client(Base):
    """A registered client (an app): its api_key is stored as a SHA-256 only. Its requests
    are registered by its own service account (role system, never logs in), posted at the
    jurisdiction the client may report into."""

    __tablename__ = "open311_client"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))  # shown in lists to tell keys apart
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class Open311Request(Base):
    """One POSTed service request: the case it became and what only Open311 carries.
    `digest` (client, request fields) makes a retried POST answer the first case."""

    __tablename__ = "open311_request"
    __table_args__ = (UniqueConstraint("client_id", "digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("open311_client.id"), index=True)
    digest: Mapped[str] = mapped_column(String(64))
    token: Mapped[str] = mapped_column(String(40), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")  # as the resident sent it
    media_url: Mapped[str] = mapped_column(String(1000), default="")
    account_id: Mapped[str] = mapped_column(String(64), default="")  # the client's own id
    email_enc: Mapped[bytes | None] = mapped_column(LargeBinary)  # personal: encrypted
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


register_sealed(Open311Request.email_enc, "email")
