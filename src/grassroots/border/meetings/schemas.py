"""The inputs and outputs of 边界联席会议."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from grassroots.bounds import Day, non_blank

CODE = r"^[0-9]{12}$"
OUTSIDE_CODE = r"^[0-9]{6,12}$"
CASE_CODE = r"^[0-9A-Za-z-]{1,40}$"
Code = Annotated[str, Field(pattern=CODE)]
CaseCode = Annotated[str, Field(pattern=CASE_CODE)]


class OutsideParty(BaseModel):
    """A participant outside the deployment: a neighbouring county's centre, a forestry
    bureau, a herders' cooperative — organisations by name, never a person's watch data."""

    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, non_blank(100)]
    code: str | None = Field(default=None, pattern=OUTSIDE_CODE, description="区划代码（可选）")


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: Annotated[str, non_blank(500)] = Field(description="议定事项")
    owner: Annotated[str, non_blank(100)] = Field(description="责任单位")
    due_on: Day | None = None
    done: bool = False


class MeetingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    held_on: Day
    place: Annotated[str, non_blank(200)]
    jurisdiction_codes: list[Code] = Field(
        min_length=1, max_length=40, description="参会的本部署区划（至少一个在您的辖区内）"
    )
    outside: list[OutsideParty] = Field(default_factory=list, max_length=20)
    topics: Annotated[str, non_blank(2000)] = Field(description="会议议题")
    notes: Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)] = ""
    case_codes: list[CaseCode] = Field(default_factory=list, max_length=50)
    decisions: list[DecisionIn] = Field(default_factory=list, max_length=30)


class PlaceOut(BaseModel):
    code: str
    name: str


class CaseRef(BaseModel):
    code: str
    title: str


class DecisionOut(BaseModel):
    id: int
    text: str
    owner: str
    due_on: date | None
    done: bool


class MeetingRow(BaseModel):
    id: int
    held_on: date
    place: str
    jurisdictions: list[PlaceOut]
    outside: list[OutsideParty]


class MeetingOut(MeetingRow):
    topics: str
    notes: str
    cases: list[CaseRef]
    decisions: list[DecisionOut]
    created_by: str
