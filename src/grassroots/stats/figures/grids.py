"""Figures per grid (网格), from the maintained tables stats_grid, stats_open_grid and
stats_rounds: registered, found by patrol, resolved, resolved in the grid, overdue today,
and the 排查 rounds and matters. docs/metrics.md defines each; grassroots.stats.recount
counts the same from the rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Table, func, literal, select
from sqlalchemy.orm import Session

from grassroots.cases.tallies.models import GRID_COUNTERS, GridAggregate, GridOpenAggregate
from grassroots.geo.models import Jurisdiction, Level
from grassroots.i18n import N_
from grassroots.stats.aggregates import ByGroup, merge, round_counters
from grassroots.stats.periods import Period
from grassroots.stats.scope import Scope

GRID: Table = GridAggregate.__table__  # type: ignore[assignment]
OPEN_GRID: Table = GridOpenAggregate.__table__  # type: ignore[assignment]
GRID_FIGURES: tuple[str, ...] = (*GRID_COUNTERS, "overdue", "rounds", "matters")
FIGURE_LABELS = {
    "registered": N_("Registered"),
    "found_by_patrol": N_("Found on patrol"),
    "resolved": N_("Resolved"),
    "resolved_in_grid": N_("Resolved in the grid"),
    "overdue": N_("Overdue"),
    "rounds": N_("Rounds"),
    "matters": N_("Matters found"),
}


def _sums(
    session: Session, table: Table, names: tuple[str, ...], scope: Scope,
    where: list[ColumnElement[bool]], group_by: str | None,
) -> ByGroup:  # fmt: skip
    key = table.c[group_by] if group_by else literal("")
    sums = [func.coalesce(func.sum(table.c[n]), 0).label(n) for n in names]
    stmt = select(key.label("g"), *sums).where(scope.condition(table), *where)
    if group_by:
        stmt = stmt.group_by(key)
    return {str(r.g): {n: int(r._mapping[n]) for n in names} for r in session.execute(stmt)}


def grid_counters(
    session: Session, scope: Scope, period: Period, today: date, group_by: str | None = None
) -> ByGroup:
    """The grid figures of cases registered in the period (overdue: open past their deadline
    today), summed over the scope or per value of a key column (grid_code, village_code …)."""
    place = Scope(scope.level, scope.code)
    in_months = [GRID.c.month >= period.first, GRID.c.month < period.after]
    cohort = _sums(session, GRID, GRID_COUNTERS, place, in_months, group_by)
    past = [OPEN_GRID.c.due_day < today]
    late = _sums(session, OPEN_GRID, ("open_count",), place, past, group_by)
    overdue = {g: {"overdue": c["open_count"]} for g, c in late.items()}
    return merge(cohort, overdue)


def grid_figures(
    session: Session, scope: Scope, period: Period, today: date, group_by: str | None = None
) -> ByGroup:
    """grid_counters and the period's 排查 rounds and matters, every figure present (0)."""
    rounds = round_counters(session, Scope(scope.level, scope.code), period, group_by)
    found = merge(grid_counters(session, scope, period, today, group_by), rounds)
    return {g: {n: c.get(n, 0) for n in GRID_FIGURES} for g, c in found.items()}


@dataclass(frozen=True)
class GridRow:
    code: str
    name: str
    figures: dict[str, int]  # GRID_FIGURES


def grids_under(session: Session, node: Jurisdiction) -> list[Jurisdiction]:
    """The current grids of the node's subtree (the node itself when it is a grid)."""
    if node.level == Level.grid.value:
        return [node]
    stmt = (
        select(Jurisdiction)
        .where(
            Jurisdiction.level == Level.grid.value,
            Jurisdiction.valid_to.is_(None),
            Jurisdiction.code.startswith(node.prefix),
        )
        .order_by(Jurisdiction.code)
    )
    return list(session.scalars(stmt))


def scope_of_node(node: Jurisdiction) -> Scope:
    return Scope(node.level, node.code)


def grid_rows(
    session: Session, node: Jurisdiction, period: Period, today: date,
    grids: list[Jurisdiction] | None = None,
) -> list[GridRow]:  # fmt: skip
    """One row per grid (default: every current grid below `node`), zeros included."""
    per_grid = grid_figures(session, scope_of_node(node), period, today, "grid_code")
    zero = dict.fromkeys(GRID_FIGURES, 0)
    chosen = grids if grids is not None else grids_under(session, node)
    return [GridRow(g.code, g.name, per_grid.get(g.code, zero)) for g in chosen]


def total_of(rows: list[GridRow]) -> dict[str, int]:
    return {n: sum(r.figures[n] for r in rows) for n in GRID_FIGURES}
