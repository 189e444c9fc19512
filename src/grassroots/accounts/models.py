"""Users with a post (岗位) in a jurisdiction, their credentials, sessions and API tokens."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grassroots.db import Base, UTCDateTime, utcnow
from grassroots.geo.models import Jurisdiction, Unit
from grassroots.privacy.sealed_columns import register as register_sealed


class Role(StrEnum):
    grid_worker = "grid_worker"  # 网格员
    mediator = "mediator"  # 调解员
    centre_staff = "centre_staff"  # 综治中心受理员
    unit_handler = "unit_handler"  # 职能部门/司法所/派出所 承办人
    leader = "leader"  # 领导
    system_admin = "system_admin"  # 系统管理员
    security_admin = "security_admin"  # 安全管理员
    auditor = "auditor"  # 审计管理员
    system = "system"  # the platform itself (sweeps, imports); never logs in


class User(Base):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    jurisdiction_id: Mapped[int | None] = mapped_column(ForeignKey("jurisdiction.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    # Credentials. No password hash = cannot log in (e.g. the `system` user).
    password_hash: Mapped[str | None] = mapped_column(String(255))
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # TOTP secrets are encrypted with the personal-data keyring (grassroots.crypto).
    totp_secret_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    totp_pending_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    totp_last_step: Mapped[int | None] = mapped_column()  # refuses a replayed code

    jurisdiction: Mapped[Jurisdiction | None] = relationship()
    unit: Mapped[Unit | None] = relationship()


class AuthSession(Base):
    """A login. Only the SHA-256 of the session id is stored; the id lives in the cookie."""

    __tablename__ = "auth_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    second_factor_done: Mapped[bool] = mapped_column(default=False)
    ip: Mapped[str] = mapped_column(String(64), default="")

    user: Mapped[User] = relationship()


class ApiToken(Base):
    """A bearer token for integrations, scoped to a subset of its user's permissions."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))  # shown in lists to tell tokens apart
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The token that minted this one (POST /auth/tokens with a bearer token); revoking a
    # token revokes every token it minted. Empty for tokens made in a session or the CLI.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("api_token.id"), index=True)

    user: Mapped[User] = relationship()


class RecoveryCode(Base):
    """One-time second-factor recovery code (SHA-256 of a high-entropy random code)."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LoginThrottle(Base):
    """Failed password checks, counted in the database so that every server process sees the
    same counts (accounts.throttle). One row per key: ("login", username, client address) for
    the growing delay, ("login", username, "*") for the per-user ceiling over all addresses,
    ("token", token id, "*") for wrong current passwords sent with a bearer token."""

    __tablename__ = "login_throttle"
    __table_args__ = (UniqueConstraint("kind", "subject", "address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(default=0)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime())
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


# The TOTP secrets share the keyring (FIELD of grassroots.accounts.login.totp).
register_sealed(User.totp_secret_enc, "totp_secret")
register_sealed(User.totp_pending_enc, "totp_secret")
