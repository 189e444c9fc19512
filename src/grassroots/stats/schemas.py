"""API shapes for statistics."""

from __future__ import annotations

from pydantic import BaseModel


class MetricOut(BaseModel):
    key: str
    name: str
    name_en: str
    kind: str
    numerator: str
    denominator: str | None
    value: float | int | None
    previous: float | int | None  # 环比 base
    year_ago: float | int | None  # 同比 base
    mom: float | None  # 环比 change (relative for counts, points for rates)
    yoy: float | None  # 同比 change


class ChildOut(BaseModel):
    code: str
    name: str
    values: dict[str, float | int | None]
    counters: dict[str, int]


class DashboardOut(BaseModel):
    jurisdiction_code: str
    jurisdiction_name: str
    period: str
    period_title: str
    category: str | None
    as_of: str
    metrics: list[MetricOut]
    counters: dict[str, int]
    children: list[ChildOut]


class DefinitionOut(BaseModel):
    key: str
    name: str
    name_en: str
    kind: str
    numerator: str
    denominator: str | None


class RoundFiguresOut(BaseModel):
    """排查走访 of a jurisdiction for a period (docs/metrics.md), with the child table."""

    jurisdiction_code: str
    jurisdiction_name: str
    period: str
    rounds: int
    matters: int
    matters_cased: int
    children: dict[str, dict[str, int]]  # child code → the same three counters


class GridFiguresRow(BaseModel):
    code: str
    name: str
    figures: dict[str, int]  # stats.figures.grids.GRID_FIGURES: registered … matters


class GridFiguresOut(BaseModel):
    """The figures of each grid below a jurisdiction (or of one grid), docs/metrics.md."""

    jurisdiction_code: str
    jurisdiction_name: str
    period: str
    as_of: str
    total: dict[str, int]
    grids: list[GridFiguresRow]
