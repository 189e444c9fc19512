"""The inbox's API shapes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class NoticeOut(BaseModel):
    id: int
    kind: str
    label: str
    text: str
    case_code: str
    case_url: str | None
    created_at: datetime
    read: bool


class NoticePage(BaseModel):
    items: list[NoticeOut]
    next_before: int | None


class UnreadCount(BaseModel):
    unread: int


class MarkedAll(BaseModel):
    marked: int
