"""API shapes of the audit log for the auditor."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from grassroots.bounds import DbId, Moment, PageNumber


class AuditSearch(BaseModel):
    actor: str | None = Field(None, description="username")
    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    result: str | None = None
    token_id: DbId | None = Field(None, description="API token id")
    since: Moment | None = Field(None, description="from this time (inclusive, with zone)")
    until: Moment | None = Field(None, description="before this time (exclusive)")
    page: PageNumber = 1
    page_size: int = Field(50, ge=1, le=500)


class AuditRow(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    actor_id: int | None
    actor_name: str
    ip: str
    action: str
    object_type: str
    object_id: str
    result: str
    details: dict[str, Any]
    token_id: int | None = Field(
        description="the API token (id) of a token-authenticated request; null otherwise"
    )
    prev_hash: str
    row_hash: str


class AuditPage(BaseModel):
    total: int
    page: int
    page_size: int
    rows: list[AuditRow]


class ChainStatus(BaseModel):
    intact: bool
    rows: int
    head: str
    broken_id: int | None
    reason: str
    message: str
