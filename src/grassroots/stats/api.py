"""JSON routes: /api/v1/stats/... (permission stats.read), scoped to the user's subtree."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from grassroots.accounts.models import User
from grassroots.calendar.today import china_today
from grassroots.deps import DbSession, requires
from grassroots.stats.aggregates import round_counters
from grassroots.stats.figures.grids import grid_rows, total_of
from grassroots.stats.figures.metrics import METRICS, Metric
from grassroots.stats.periods import parse_period
from grassroots.stats.queries import Dashboard, access_jurisdiction, check_category, dashboard
from grassroots.stats.schemas import (
    ChildOut,
    DashboardOut,
    DefinitionOut,
    GridFiguresOut,
    GridFiguresRow,
    MetricOut,
    RoundFiguresOut,
)
from grassroots.stats.scope import CHILD_LEVEL, Scope, group_column

router = APIRouter(prefix="/stats", tags=["stats"])
StatsUser = requires("stats.read")


def _definition(m: Metric) -> dict[str, Any]:
    """A metric's definition: what /definitions lists and each dashboard metric carries."""
    return {"key": m.key, "name": m.name, "name_en": m.name_en, "kind": m.kind,
            "numerator": m.numerator, "denominator": m.denominator}  # fmt: skip


def to_out(d: Dashboard) -> DashboardOut:
    metrics = [
        MetricOut(
            **_definition(m),
            value=d.values[m.key],
            previous=d.previous[m.key],
            year_ago=d.year_ago[m.key],
            mom=d.mom[m.key],
            yoy=d.yoy[m.key],
        )
        for m in METRICS
    ]
    children = [
        ChildOut(code=c.code, name=c.name, values=c.values, counters=c.counters) for c in d.children
    ]
    return DashboardOut(
        jurisdiction_code=d.jurisdiction.code,
        jurisdiction_name=d.jurisdiction.name,
        period=d.period.label,
        period_title=d.period.title_zh,
        category=d.category,
        as_of=d.today.isoformat(),
        metrics=metrics,
        counters=d.counters,
        children=children,
    )


@router.get("/definitions", dependencies=[requires("stats.read")])
def definitions() -> list[DefinitionOut]:
    """每项指标的定义（分子、分母）/ metric definitions."""
    return [DefinitionOut(**_definition(m)) for m in METRICS]


@router.get("/dashboard")
def get_dashboard(
    session: DbSession,
    jurisdiction: str = Query(..., description="区划代码 e.g. 990101000000"),
    period: str = Query(..., description="2026-03 / 2026-Q3 / 2026-H1 / 2026 / 2026-01..2026-05"),
    category: str | None = Query(None, description="纠纷类别代码"),
    user: User = StatsUser,
) -> DashboardOut:
    """各项指标、同比环比及下级区划统计表 / metrics with 同比/环比 and the child table."""
    j = access_jurisdiction(session, user, jurisdiction)
    check_category(session, category)
    return to_out(dashboard(session, j, parse_period(period), category))


@router.get("/rounds")
def get_round_figures(
    session: DbSession,
    jurisdiction: str = Query(..., description="区划代码 e.g. 990101000000"),
    period: str = Query(..., description="2026-03 / 2026-Q3 / 2026-H1 / 2026 / 2026-01..2026-05"),
    user: User = StatsUser,
) -> RoundFiguresOut:
    """排查走访 / rounds held and matters found (and registered as cases) in the period,
    with the same per child jurisdiction (docs/metrics.md)."""
    j = access_jurisdiction(session, user, jurisdiction)
    p = parse_period(period)
    scope = Scope(j.level, j.code)
    total = round_counters(session, scope, p).get("", {})
    child = CHILD_LEVEL.get(j.level)
    children = round_counters(session, scope, p, group_column(child)) if child else {}
    return RoundFiguresOut(
        jurisdiction_code=j.code, jurisdiction_name=j.name, period=p.label,
        rounds=total.get("rounds", 0), matters=total.get("matters", 0),
        matters_cased=total.get("matters_cased", 0), children=children,
    )  # fmt: skip


@router.get("/grids")
def get_grid_figures(
    session: DbSession,
    jurisdiction: str = Query(..., description="区划或网格代码 e.g. 990101002201000"),
    period: str = Query(..., description="2026-03 / 2026-Q3 / 2026-H1 / 2026 / 2026-01..2026-05"),
    user: User = StatsUser,
) -> GridFiguresOut:
    """网格统计 / per grid below the jurisdiction (or one grid): registered, found on patrol,
    resolved, resolved in the grid, overdue today, rounds and matters found."""
    j = access_jurisdiction(session, user, jurisdiction, allow_grid=True)
    p, today = parse_period(period), china_today()
    rows = grid_rows(session, j, p, today)
    return GridFiguresOut(
        jurisdiction_code=j.code, jurisdiction_name=j.name, period=p.label,
        as_of=today.isoformat(), total=total_of(rows),
        grids=[GridFiguresRow(code=r.code, name=r.name, figures=r.figures) for r in rows],
    )  # fmt: skip
