"""API shapes for reports."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from grassroots.bounds import DbId


class GenerateIn(BaseModel):
    jurisdiction: str = Field(description="区划代码 e.g. 990101000000")
    period: str = Field(description="2026-03 / 2026-Q3 / 2026-H1 / 2026 / 2026-01..2026-05")
    formats: list[str] = Field(default_factory=lambda: ["docx", "xlsx"])
    template_id: DbId | None = None


class ReportFileOut(BaseModel):
    id: int
    jurisdiction_code: str
    period: str
    fmt: str
    file_name: str
    size: int
    sha256: str
    scheduled: bool
    created_at: datetime
    download_url: str


class TemplateOut(BaseModel):
    id: int
    name: str
    jurisdiction_code: str
    created_at: datetime


class PlaceholderOut(BaseModel):
    name: str
    description: str
    example: str
