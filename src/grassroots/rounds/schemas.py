"""Inputs and outputs of 排查 rounds (API and pages)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from grassroots.bounds import Day, DbId, non_blank
from grassroots.cases.models import CaseKind
from grassroots.rounds.models import Check, MatterOutcome, PatrolRound, RoundMatter

Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
GridCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{15}$")]


class MatterIn(BaseModel):
    """A matter found on the round: what and where (optional), and whether it becomes a case."""

    model_config = ConfigDict(extra="forbid")
    summary: Annotated[str, non_blank(200)] = Field(description="发现的事项（一句话）")
    details: Note = Field("", description="详情")
    category_code: Annotated[str, non_blank(32)] = Field(description="纠纷类别代码")
    kind: CaseKind = Field(CaseKind.dispute, description="立案类型 dispute / request")
    lat: float | None = Field(None, ge=-90, le=90, description="发现地点纬度（可选）")
    lng: float | None = Field(None, ge=-180, le=180, description="发现地点经度（可选）")
    to_case: bool = Field(False, description="true：同时登记为案件（来源：主动排查发现）")

    @model_validator(mode="after")
    def _point(self) -> MatterIn:
        if (self.lat is None) != (self.lng is None):
            raise ValueError("lat and lng go together / 经纬度须同时填写")
        return self


class RoundIn(BaseModel):
    """A round: the grid, the day, what was checked, and the matters found (none is fine)."""

    model_config = ConfigDict(extra="forbid")
    grid_code: GridCode = Field(description="网格代码（15 位）")
    held_on: Day = Field(description="排查日期（北京时间，不晚于今天）")
    checks: list[Check] = Field(min_length=1, max_length=len(Check), description="排查内容")
    note: Note = Field("", description="说明（选“其他”时必填）")
    matters: list[MatterIn] = Field(default_factory=list, max_length=20)

    @model_validator(mode="after")
    def _explained(self) -> RoundIn:
        if len(set(self.checks)) != len(self.checks):
            raise ValueError("each check once / 排查内容不能重复")
        if Check.other in self.checks and not self.note:
            raise ValueError("note required with 'other' / 选“其他”须填写说明")
        return self


class MatterOut(BaseModel):
    seq: int
    summary: str
    details: str
    category_code: str
    lat: float | None
    lng: float | None
    outcome: MatterOutcome
    case_code: str | None
    lead_code: str | None

    @classmethod
    def of(cls, m: RoundMatter) -> MatterOut:
        return cls(
            seq=m.seq, summary=m.summary, details=m.details, category_code=m.category_code,
            lat=m.lat, lng=m.lng, outcome=MatterOutcome(m.outcome),
            case_code=m.case.code if m.case is not None else None, lead_code=m.lead_code,
        )  # fmt: skip


class RoundOut(BaseModel):
    id: DbId
    grid_code: str
    grid_name: str
    held_on: date
    recorded_by: str
    checks: list[Check]
    note: str
    matters: list[MatterOut]

    @classmethod
    def of(cls, r: PatrolRound) -> RoundOut:
        return cls(
            id=r.id, grid_code=r.grid_code, grid_name=r.grid.name, held_on=r.held_on,
            recorded_by=r.recorded_by.username, checks=[Check(c) for c in r.checks],
            note=r.note, matters=[MatterOut.of(m) for m in r.matters],
        )  # fmt: skip
