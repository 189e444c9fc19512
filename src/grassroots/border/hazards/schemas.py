"""The inputs and outputs of 边界隐患. The place is a GeoJSON geometry: a Point, or a Polygon
(or MultiPolygon) checked by the boundary import's own rules (geo.geojson.parse)."""

from __future__ import annotations

import json
import math
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from grassroots.border.meetings.schemas import CaseCode, CaseRef, Code, OutsideParty, PlaceOut
from grassroots.bounds import DbId, non_blank
from grassroots.geo.geojson.parse import parse_geometry

MAX_VERTICES = 2000
Kind = Literal["pasture", "forest", "water", "land", "other"]
Risk = Literal["high", "medium", "low"]
Status = Literal["screening", "preventing", "resolved", "controlled"]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


def _point(geometry: dict[str, Any]) -> dict[str, Any]:
    c = geometry.get("coordinates")
    bad = ValueError("坐标无效 / a point is [longitude, latitude]")
    if not isinstance(c, list) or len(c) != 2:
        raise bad
    if not all(
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in c
    ):
        raise bad
    if abs(c[0]) > 180 or abs(c[1]) > 90:
        raise bad
    return {"type": "Point", "coordinates": [float(c[0]), float(c[1])]}


def _vertices(value: Any) -> int:
    if isinstance(value, list) and value and isinstance(value[0], int | float):
        return 1
    return sum(_vertices(v) for v in value) if isinstance(value, list) else 0


def clean_geometry(geometry: dict[str, Any]) -> dict[str, Any]:
    """A Point, or a valid Polygon/MultiPolygon of at most MAX_VERTICES points (2-D)."""
    if geometry.get("type") == "Point":
        return _point(geometry)
    if _vertices(geometry.get("coordinates")) > MAX_VERTICES:
        raise ValueError(f"边界点过多（至多 {MAX_VERTICES} 个） / too many vertices")
    shape, errors = parse_geometry(0, None, geometry)
    if shape is None:
        raise ValueError(errors[0].message if errors else "范围无效 / not a valid polygon")
    coordinates = json.loads(json.dumps(shape.__geo_interface__["coordinates"]))
    return {"type": geometry["type"], "coordinates": coordinates}


Geometry = Annotated[dict[str, Any], AfterValidator(clean_geometry)]


class HazardIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, non_blank(200)] = Field(description="隐患地点名称（如：两镇交界草场）")
    kind: Kind
    risk: Risk
    geometry: Geometry = Field(description="GeoJSON Point（[经度, 纬度]）或 Polygon")
    jurisdiction_codes: list[Code] = Field(
        min_length=1, max_length=20, description="本部署内的责任区划（至少一个在您的辖区内）"
    )
    outside: list[OutsideParty] = Field(default_factory=list, max_length=10)
    description: Annotated[str, non_blank(2000)] = Field(description="隐患情况")
    measures: Note = ""
    case_codes: list[CaseCode] = Field(default_factory=list, max_length=50)
    meeting_ids: list[DbId] = Field(default_factory=list, max_length=50)


class StatusIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    to: Status
    note: Note = ""


class EventOut(BaseModel):
    at: datetime
    actor: str
    from_status: str | None
    to_status: str
    note: str


class MeetingRef(BaseModel):
    id: int
    held_on: str
    place: str


class HazardRow(BaseModel):
    id: int
    name: str
    kind: str
    risk: str
    status: str
    jurisdictions: list[PlaceOut]
    outside: list[OutsideParty]


class HazardOut(HazardRow):
    geometry: dict[str, Any]
    description: str
    measures: str
    cases: list[CaseRef]
    meetings: list[MeetingRef]
    events: list[EventOut]
    next_statuses: list[str]
