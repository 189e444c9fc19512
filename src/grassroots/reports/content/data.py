"""Everything a report shows, gathered once from the aggregates (never from the cases)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.border.figures import BorderFigures, border_figures
from grassroots.dictionary.models import Category
from grassroots.geo.models import Jurisdiction
from grassroots.joint.figures import JointFigures, joint_figures
from grassroots.leads.reporting.figures import FiguresOut, period_figures
from grassroots.stats import aggregates
from grassroots.stats.figures.derived import Rules, comparable, derived_values, on_time_concluded
from grassroots.stats.figures.grids import GridRow, grid_rows
from grassroots.stats.figures.metrics import BY_KEY, Counters, change
from grassroots.stats.periods import Period
from grassroots.stats.queries import (
    Dashboard,
    Values,
    children_of,
    dashboard,
    order_counts,
    scope_of,
)

LEVELS = ("village", "township", "county", "city")
LEVEL_NAMES = {"village": "村级", "township": "乡镇级", "county": "县级", "city": "县以上"}
# 矛盾纠纷 and 诉求 are reported apart (issue 15 item 4): every rate and table by kind.
KINDS = ("dispute", "request")
KIND_NAMES = {"dispute": "矛盾纠纷", "request": "群众诉求"}


@dataclass
class Row:
    code: str
    name: str
    counters: Counters
    values: Values
    ytd: Values  # 本年累计 (1 January through the period's end)
    ytd_counters: Counters
    subtotal: bool = False


@dataclass
class CategoryRow:
    code: str
    name: str
    counters: Counters
    yoy: float | None  # relative change of 排查数 against the same period a year before
    mom: float | None


@dataclass
class ReportData:
    dashboard: Dashboard
    rows: list[Row]  # one per child jurisdiction, then 合计
    villages: list[Row] = field(default_factory=list)  # per village, 小计 per township, 合计
    categories: list[CategoryRow] = field(default_factory=list)  # by 排查数, largest first
    figures: Counters = field(default_factory=dict)  # stats_figures over the scope
    by_kind: dict[str, Counters] = field(default_factory=dict)  # dispute / request
    kinds: list[Row] = field(default_factory=list)  # the scope's 合计 per kind (KINDS order)
    categories_by_kind: dict[str, list[CategoryRow]] = field(default_factory=dict)
    orders: Counters = field(default_factory=dict)  # 12345 退单 / 改派 in the period
    by_source: dict[str, Counters] = field(default_factory=dict)  # source code → counters
    grids: list[GridRow] = field(default_factory=list)  # a village's report: per grid
    leads: FiguresOut | None = None  # lead_tally of the leads received in the period
    joint: JointFigures | None = None  # 联调 of the cases registered in the period
    border: BorderFigures | None = None  # 边界联席会议 held, 边界隐患 settled in the period

    @property
    def jurisdiction(self) -> Jurisdiction:
        return self.dashboard.jurisdiction

    @property
    def period(self) -> Period:
        return self.dashboard.period


def _row(
    code: str, name: str, cur: Counters, ytd: Counters, rules: Rules, subtotal: bool = False
) -> Row:
    cur = cur | {"on_time_concluded": on_time_concluded(cur, rules)}  # 按期办结数, by setting
    return Row(
        code, name, cur, derived_values(cur, rules), derived_values(ytd, rules), ytd, subtotal
    )


def _children_rows(
    session: Session, parent: Jurisdiction, period: Period, today: date, column: str, rules: Rules
) -> list[Row]:
    scope = scope_of(parent)
    cur = aggregates.counters(session, scope, period, today, group_by=column)
    ytd = aggregates.counters(session, scope, period.year_to_date(), today, group_by=column)
    return [
        _row(c.code, c.name, cur.get(c.code, {}), ytd.get(c.code, {}), rules)
        for c in children_of(session, parent)
    ]


def _total(rows: list[Row], code: str, name: str, subtotal: bool, rules: Rules) -> Row:
    cur: Counters = {}
    ytd: Counters = {}
    for r in rows:
        for k, v in r.counters.items():
            cur[k] = cur.get(k, 0) + v
        for k, v in r.ytd_counters.items():
            ytd[k] = ytd.get(k, 0) + v
    return _row(code, name, cur, ytd, rules, subtotal)


def _village_rows(
    session: Session, j: Jurisdiction, period: Period, today: date, rules: Rules
) -> list[Row]:
    townships = [j] if j.level == "township" else children_of(session, j)
    out: list[Row] = []
    for t in townships:
        rows = _children_rows(session, t, period, today, "village_code", rules)
        out.extend(rows)
        out.append(_total(rows, t.code, f"{t.name}小计", True, rules))
    return out


def _kind_rows(
    session: Session, j: Jurisdiction, period: Period, today: date, rules: Rules
) -> list[Row]:
    """The scope's figures for disputes and for requests apart (每类各自的比率)."""
    out = []
    for kind in KINDS:
        scope = scope_of(j).of_kind(kind)
        cur = aggregates.counters(session, scope, period, today).get("", {})
        ytd = aggregates.counters(session, scope, period.year_to_date(), today).get("", {})
        out.append(_row(j.code, f"其中：{KIND_NAMES[kind]}", cur, ytd, rules))
    return out


def _base(
    session: Session, d: Dashboard, base: Period, applies: bool = True, kind: str | None = None
) -> dict[str, Counters] | None:
    """Registrations by category in a 同比/环比 base; None when it is not compared with."""
    if not applies or not comparable(base, d.rules):
        return None
    scope = scope_of(d.jurisdiction).of_kind(kind)
    return aggregates.counters(session, scope, base, d.today, group_by="category_code")


def _change(now: int, base: dict[str, Counters] | None, code: str) -> float | None:
    if base is None:
        return None
    return change(BY_KEY["registered"], now, base.get(code, {}).get("registered", 0))


def _categories(session: Session, d: Dashboard, kind: str | None = None) -> list[CategoryRow]:
    scope = scope_of(d.jurisdiction).of_kind(kind)
    p, today = d.period, d.today
    cur = aggregates.counters(session, scope, p, today, group_by="category_code")
    for c in cur.values():  # 按期办结数, by setting
        c["on_time_concluded"] = on_time_concluded(c, d.rules)
    before = _base(session, d, p.year_ago(), kind=kind)
    prev = _base(session, d, p.previous(), d.mom_applies, kind)
    names = {code: name for code, name in session.execute(select(Category.code, Category.name))}
    rows = [
        CategoryRow(
            code,
            names.get(code, code),
            c,
            _change(c.get("registered", 0), before, code),
            _change(c.get("registered", 0), prev, code),
        )
        for code, c in cur.items()
        if c.get("registered", 0) > 0
    ]
    return sorted(rows, key=lambda r: (-r.counters["registered"], r.code))


def gather(
    session: Session, j: Jurisdiction, period: Period, today: date, rules: Rules | None = None
) -> ReportData:
    rules = rules or Rules.of()
    d = dashboard(session, j, period, today=today, with_children=False, rules=rules)
    if j.level in ("county", "township"):
        column = "township_code" if j.level == "county" else "village_code"
        rows = _children_rows(session, j, period, today, column, rules)
    else:
        rows = []
    totals = (
        _total(rows, j.code, "合计", True, rules)
        if rows
        else _row(
            j.code,
            j.name,
            d.counters,
            aggregates.counters(session, scope_of(j), period.year_to_date(), today).get("", {}),
            rules,
            True,
        )
    )
    data = ReportData(d, [*rows, totals])
    if j.level in ("county", "township"):
        data.villages = [*_village_rows(session, j, period, today, rules), totals]
    data.categories = _categories(session, d)
    data.kinds = _kind_rows(session, j, period, today, rules)
    data.categories_by_kind = {k: _categories(session, d, k) for k in KINDS}
    data.orders = order_counts(session, scope_of(j), period)
    scope = scope_of(j)
    data.figures = aggregates.figure_counters(session, scope, period).get("", {})
    data.by_kind = aggregates.figure_counters(session, scope, period, "kind")
    data.by_source = aggregates.figure_counters(session, scope, period, "source_code")
    if j.level == "village":  # drill down to its grids (stats_grid, stats_rounds)
        data.grids = grid_rows(session, j, period, today)
    data.leads = period_figures(session, j.prefix, (period.first, period.end), today)
    data.joint = joint_figures(session, j.prefix, (period.first, period.end))
    data.border = border_figures(session, j.prefix, (period.first, period.end))
    return data
