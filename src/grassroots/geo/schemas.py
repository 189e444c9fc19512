"""API shapes of jurisdictions, units, locate answers and import summaries."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from grassroots.geo.locate import Located
from grassroots.geo.models import Jurisdiction, Unit, UnitKind

UNIT_CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{1,31}$"


class JurisdictionOut(BaseModel):
    code: str
    name: str
    level: str
    parent_code: str | None
    valid_from: datetime
    valid_to: datetime | None

    @classmethod
    def of(cls, row: Jurisdiction, parent_code: str | None) -> JurisdictionOut:
        return cls(
            code=row.code,
            name=row.name,
            level=row.level,
            parent_code=parent_code,
            valid_from=row.valid_from,
            valid_to=row.valid_to,
        )


class JurisdictionPage(BaseModel):
    items: list[JurisdictionOut]
    total: int
    limit: int
    offset: int


class LocateOut(BaseModel):
    """inside=false: the point lies in no grid (outside the jurisdiction); not an error."""

    inside: bool
    lat: float
    lng: float
    grid_code: str | None = None
    village_code: str | None = None
    township_code: str | None = None
    county_code: str | None = None
    names: dict[str, str] = Field(default_factory=dict)
    message: str

    @classmethod
    def of(cls, lat: float, lng: float, found: Located | None) -> LocateOut:
        if found is None:
            return cls(
                inside=False,
                lat=lat,
                lng=lng,
                message="该位置不在本辖区任何网格内 / outside the jurisdiction: no grid here",
            )
        return cls(
            inside=True,
            lat=lat,
            lng=lng,
            grid_code=found.grid_code,
            village_code=found.village_code,
            township_code=found.township_code,
            county_code=found.county_code,
            names=found.names,
            message=f"{found.names.get('grid', '')} / grid {found.grid_code}",
        )


class UnitOut(BaseModel):
    code: str
    name: str
    kind: str
    jurisdiction_code: str
    active: bool = True

    @classmethod
    def of(cls, unit: Unit) -> UnitOut:
        return cls(
            code=unit.code,
            name=unit.name,
            kind=unit.kind,
            jurisdiction_code=unit.jurisdiction.code,
            active=unit.active,
        )


class UnitIn(BaseModel):
    """A new unit: its code is permanent (cases and accounts refer to it)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: str = Field(pattern=UNIT_CODE_PATTERN, description="单位代码：字母、数字、- 或 _")
    name: str = Field(min_length=1, max_length=100)
    kind: UnitKind
    jurisdiction_code: str = Field(min_length=1, max_length=15)


class UnitPatch(BaseModel):
    """Rename a unit or change its kind; the code and jurisdiction stay."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(default=None, min_length=1, max_length=100)
    kind: UnitKind | None = None


class GapOut(BaseModel):
    """A part of a village that no grid covers (reported; the import went through)."""

    village: str
    area_m2: float
    grids: list[str]


class ImportSummaryOut(BaseModel):
    created: int
    renamed: int
    reshaped: int
    unchanged: int
    gaps: list[GapOut] = []
