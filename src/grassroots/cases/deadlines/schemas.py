"""API shapes of the deadline policies."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from grassroots.calendar.workdays import MAX_WORKING_DAYS


class PolicyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source_code: str = Field(default="", max_length=32)  # "" = every source
    category_code: str = Field(default="", max_length=32)  # "" = the level's default row
    level: str
    violence_risk: bool = False
    accept_days: int = Field(ge=0, le=MAX_WORKING_DAYS)
    resolve_days: int = Field(ge=1, le=MAX_WORKING_DAYS)
    # also stated in months: the stricter of the two (None: working days only)
    resolve_months: int | None = Field(default=None, ge=1, le=12)
    follow_up_days: int = Field(ge=0, le=MAX_WORKING_DAYS)
    auto_escalate: bool = False
    basis: str = Field(default="", max_length=2000)


class PolicyOut(PolicyIn):
    model_config = ConfigDict(from_attributes=True)

    id: int
