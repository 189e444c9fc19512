"""Inputs and outputs of the township roster (API and pages)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from grassroots.bounds import Day, non_blank


class PhoneIn(BaseModel):
    """A worker's work phone (stored encrypted, shown masked)."""

    model_config = ConfigDict(extra="forbid")
    phone: Annotated[str, StringConstraints(pattern=r"^[0-9+\- ]{5,20}$")] = Field(
        description="工作电话"
    )


class TrainingIn(BaseModel):
    """A training the worker attended: the day and what it was (free text)."""

    model_config = ConfigDict(extra="forbid")
    held_on: Day = Field(description="培训日期")
    title: Annotated[str, non_blank(200)] = Field(description="培训内容，如“人民调解业务培训”")


class RevealIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Annotated[str, non_blank(200, min_length=4)] = Field(description="查看理由（记入审计）")


class TrainingOut(BaseModel):
    held_on: date
    title: str


class PostedGrid(BaseModel):
    code: str
    name: str
    kind: str  # leader 网格长 / worker 网格员


class RosterEntryOut(BaseModel):
    """One worker: their grids today, masked phone, trainings and workload (not a ranking)."""

    username: str
    display_name: str
    role: str
    grids: list[PostedGrid]
    phone_masked: str | None
    trainings: list[TrainingOut]
    open_cases: int
    rounds_this_month: int


class RosterOut(BaseModel):
    township_code: str
    township_name: str
    on: date
    workers: list[RosterEntryOut]


class PhoneOut(BaseModel):
    username: str
    phone: str
