"""Reads for dashboards and reports: scoped to the user, from the aggregate tables."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.calendar.today import china_today, local_midnight_utc
from grassroots.cases.models import Case, CaseEvent
from grassroots.dictionary.models import Category
from grassroots.errors import Problem
from grassroots.geo.models import Jurisdiction, Level
from grassroots.scope import current_jurisdiction, in_subtree
from grassroots.stats import aggregates
from grassroots.stats.figures.derived import Rules, comparable, derived_values, has_mom, running
from grassroots.stats.figures.metrics import BY_KEY, METRICS, Counters, change
from grassroots.stats.periods import Period
from grassroots.stats.scope import Scope

Values = dict[str, float | int | None]


def access_jurisdiction(
    session: Session, user: User, code: str, allow_grid: bool = False
) -> Jurisdiction:
    """The jurisdiction if in the user's subtree (grassroots.scope); else 404 (not found =
    not allowed). A grid only where asked (the figures per grid, grassroots.stats.figures.grids)."""
    j = current_jurisdiction(session, code)
    if j is None or not in_subtree(user, j.code):
        raise Problem(404, "jurisdiction_not_found", f"未找到区划 {code} / jurisdiction not found")
    if j.level == Level.grid.value and not allow_grid:
        raise Problem(422, "grid_not_supported", "统计最低到村（社区）/ statistics stop at village")
    return j


def check_category(session: Session, category: str | None) -> None:
    if category and session.get(Category, category) is None:
        raise Problem(422, "unknown_category", f"未知类别 {category} / unknown category")


def children_of(session: Session, j: Jurisdiction) -> list[Jurisdiction]:
    stmt = select(Jurisdiction).where(
        Jurisdiction.parent_id == j.id, Jurisdiction.valid_to.is_(None)
    )
    return list(session.scalars(stmt.order_by(Jurisdiction.code)))


@dataclass
class ChildRow:
    code: str
    name: str
    counters: Counters
    values: Values


@dataclass
class Dashboard:
    jurisdiction: Jurisdiction
    period: Period
    category: str | None
    today: date
    counters: Counters
    values: Values
    previous: Values  # 环比 base
    year_ago: Values  # 同比 base
    mom: dict[str, float | None] = field(default_factory=dict)  # 环比 change
    yoy: dict[str, float | None] = field(default_factory=dict)  # 同比 change
    children: list[ChildRow] = field(default_factory=list)
    rules: Rules = field(default_factory=Rules)
    running: bool = False  # the period has not ended: its figures are 截至 today
    mom_applies: bool = True  # False where 环比's base is 同比's (a year): 环比 is dropped
    kind: str | None = None  # dispute / request; None: both


def scope_of(j: Jurisdiction, category: str | None = None) -> Scope:
    return Scope(j.level, j.code, category)


def totals(
    session: Session, scope: Scope, period: Period, today: date, with_overdue: bool = True
) -> Counters:
    return aggregates.counters(session, scope, period, today, with_overdue=with_overdue).get("", {})


def _snapshot_free(v: Values) -> Values:
    """Values of an earlier period: "as of now" metrics (超期数) have no earlier value."""
    return {k: (None if not BY_KEY[k].periodic else x) for k, x in v.items()}


def base_values(
    session: Session, scope: Scope, base: Period, today: date, rules: Rules, applies: bool = True
) -> Values:
    """A 同比/环比 base's values; all None ("无可比数据") when the base began before the
    go-live day or the comparison does not apply (grassroots.stats.figures.derived)."""
    if not applies or not comparable(base, rules):
        return {m.key: None for m in METRICS}
    return _snapshot_free(derived_values(totals(session, scope, base, today, False), rules))


def child_rows(
    session: Session, j: Jurisdiction, scope: Scope, period: Period, today: date, rules: Rules,
    with_overdue: bool = True,
) -> list[ChildRow]:  # fmt: skip
    """One row per current child node. The groups are summed by the child's code prefix: a
    province's groups are its counties, summed per city (grassroots.stats.scope.group_column)."""
    by_child = aggregates.counters(session, scope, period, today, True, with_overdue=with_overdue)
    rows = []
    for child in children_of(session, j):
        c = summed(g for code, g in by_child.items() if code.startswith(child.prefix))
        rows.append(ChildRow(child.code, child.name, c, derived_values(c, rules)))
    return rows


def summed(groups: Iterable[Counters]) -> Counters:
    out: Counters = {}
    for g in groups:
        for name, n in g.items():
            out[name] = out.get(name, 0) + n
    return out


def dashboard(
    session: Session,
    j: Jurisdiction,
    period: Period,
    category: str | None = None,
    today: date | None = None,
    with_children: bool = True,
    rules: Rules | None = None,
    kind: str | None = None,
) -> Dashboard:
    """All metrics for the jurisdiction subtree and period, with 同比/环比 and the child table
    (of one kind, 矛盾纠纷 or 诉求, where `kind` is given)."""
    today = today or china_today()
    rules = rules or Rules.of()
    scope = scope_of(j, category).of_kind(kind)
    current = totals(session, scope, period, today)
    mom_applies = has_mom(period)
    d = Dashboard(
        jurisdiction=j,
        period=period,
        category=category,
        today=today,
        counters=current,
        values=derived_values(current, rules),
        previous=base_values(session, scope, period.previous(), today, rules, mom_applies),
        year_ago=base_values(session, scope, period.year_ago(), today, rules),
        rules=rules,
        running=running(period, today),
        mom_applies=mom_applies,
        kind=kind,
    )
    for m in METRICS:
        d.mom[m.key] = change(m, d.values[m.key], d.previous[m.key])
        d.yoy[m.key] = change(m, d.values[m.key], d.year_ago[m.key])
    if with_children and scope.child_level:
        d.children = child_rows(session, j, scope, period, today, rules)
    return d


# 12345 退单 and 改派 (docs/metrics.md): counted by the day the action was taken, not by the
# order's registration month; the order counts at its place (its case's codes).
ORDER_ACTIONS = {"returned": "return_order", "reassigned": "reassign"}


def order_counts(session: Session, scope: Scope, period: Period) -> Counters:
    """{"returned": orders returned (退单), "reassigned": 改派 actions, "reassigned_orders":
    orders reassigned at least once} in the period (China dates), over the scope."""
    e = CaseEvent
    in_period = [e.at >= local_midnight_utc(period.first), e.at < local_midnight_utc(period.after)]
    where = [*in_period, scope.condition(Case.__table__), Case.spam.is_(False)]
    stmt = (
        select(e.action, func.count(), func.count(distinct(e.case_id)))
        .join(Case, Case.id == e.case_id)
        .where(e.action.in_(ORDER_ACTIONS.values()), *where)
        .group_by(e.action)
    )
    found = {action: (n, cases) for action, n, cases in session.execute(stmt)}
    returned, _ = found.get("return_order", (0, 0))
    reassigned, orders = found.get("reassign", (0, 0))
    return {"returned": returned, "reassigned": reassigned, "reassigned_orders": orders}
