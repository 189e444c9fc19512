"""The configurable dictionaries a case draws on: categories (纠纷类别) and sources (来源).

Seeded with the Ministry of Justice statistics list (migration 0002); administrators add,
rename or retire entries (active=false: old cases keep them). Table names keep their
historical case_ prefix.
"""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from grassroots.db import Base


class Category(Base):
    """Configurable dictionary; seeded with the Ministry of Justice statistics list."""

    __tablename__ = "case_category"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(64), default="", server_default="")  # "" = zh
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


# The source 主动排查发现 (migration 0019): set only when a matter found on a 排查 round is
# registered from the round (grassroots.rounds), never by hand, so that each such case has
# its round.
ROUND_SOURCE = "round_found"
# The source 群众自报 (migration 0030): set only on a resident's own report through the public
# channel (grassroots.residents), never by staff, so that only such a case can be marked as
# spam (the case action mark_spam) and each has its receipt code.
RESIDENT_SOURCE = "resident_report"


class Source(Base):
    __tablename__ = "case_source"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(64), default="", server_default="")  # "" = zh
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class LeadCategory(Base):
    """The categories of leads (线索类别), edited by the county: 矛盾纠纷隐患, 安全隐患,
    涉黑涉恶, 公职人员问题 … (seeded by migration 0020; retired with active=false)."""

    __tablename__ = "lead_category"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(64), default="", server_default="")  # "" = zh
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
