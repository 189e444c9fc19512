"""Users with a post (岗位) in a jurisdiction. Authentication fields come with access control."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from grassroots.db import Base, UTCDateTime, utcnow
from grassroots.geo.models import Jurisdiction, Unit


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

    jurisdiction: Mapped[Jurisdiction | None] = relationship()
    unit: Mapped[Unit | None] = relationship()
