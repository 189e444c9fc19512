"""The input of a case edit: the fields to change (absent: unchanged) and the reason."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from grassroots.bounds import Count, DbId, non_blank
from grassroots.cases.models import CaseKind, PartyRole
from grassroots.cases.schemas import PartyIn

Phone = Annotated[str, StringConstraints(pattern=r"^$|^[0-9+\- ]{5,20}$")]
IdNumber = Annotated[str, StringConstraints(pattern=r"^$|^[0-9]{17}[0-9Xx]$")]
RiskLevel = Literal["low", "medium", "high"]


class PartyChange(BaseModel):
    """A correction of one recorded party; "" clears the phone or the ID number."""

    model_config = ConfigDict(extra="forbid")

    id: DbId
    role: PartyRole | None = None
    name: Annotated[str, non_blank(64)] | None = None
    phone: Phone | None = None
    id_number: IdNumber | None = None
    address: Annotated[str, StringConstraints(max_length=300)] | None = None


class CaseEdit(BaseModel):
    """修改案件信息: each field given is a change; the reason is required and kept."""

    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, non_blank(2000)]
    category_code: Annotated[str, non_blank(64)] | None = None
    kind: CaseKind | None = None
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    grid_code: Annotated[str, StringConstraints(pattern=r"^[0-9]{15}$")] | None = None
    address: Annotated[str, StringConstraints(max_length=300)] | None = None
    risk_level: RiskLevel | None = None
    violence_risk: bool | None = None
    add_parties: list[PartyIn] = Field(default_factory=list, max_length=20)
    party_changes: list[PartyChange] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _coordinates_together(self) -> CaseEdit:
        if (self.lat is None) != (self.lng is None):
            raise ValueError("lat and lng go together / 经纬度须同时填写")
        return self


class CaseEditRequest(CaseEdit):
    """POST /cases/{code}/edit: the edit and the case version it was made on."""

    expected_version: Count
