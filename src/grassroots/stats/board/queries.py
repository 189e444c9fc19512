"""Reads of the 统计看板: the view its URL names (checked against the user's scope), the
breadcrumb, the cards with the lists behind them, the ranking of the subordinate
jurisdictions and the trend. Figures come from grassroots.stats.queries.dashboard."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases.tallies.contribution import ALL_CATEGORIES
from grassroots.errors import Problem
from grassroots.geo.models import Jurisdiction
from grassroots.i18n import N_
from grassroots.stats.aggregates import COHORT
from grassroots.stats.board.schemas import KINDS, TREND_MONTHS, BoardView, FigureCard, RankRow
from grassroots.stats.figures.dashboard import stats_node
from grassroots.stats.figures.derived import comparable, has_mom
from grassroots.stats.figures.metrics import BY_KEY, METRICS, change
from grassroots.stats.periods import Period, add_months, parse_period, this_month
from grassroots.stats.queries import (
    ChildRow,
    Dashboard,
    access_jurisdiction,
    check_category,
    child_rows,
    scope_of,
)

RATES = tuple(m.key for m in METRICS if m.kind == "rate")


def bad_input(code: str, message: str) -> Problem:
    return Problem(400, code, message)


def _as_400(problem: Problem) -> Problem:
    """A 422 of the shared checks (period, category) as the page's 400: a bad URL."""
    return bad_input(problem.code, problem.message) if problem.status == 422 else problem


def view_node(session: Session, user: User, code: str) -> Jurisdiction:
    """The chosen jurisdiction (404 beyond the user's subtree), or the user's own post."""
    if not code:
        if user.jurisdiction is None:
            raise Problem(404, "jurisdiction_not_found", "您没有岗位 / you have no post")
        return stats_node(user.jurisdiction)
    if not code.isdigit() or len(code) != 12:
        raise bad_input("bad_jurisdiction", f"区划代码有误：{code!r} / invalid jurisdiction")
    own = stats_node(user.jurisdiction) if user.jurisdiction is not None else None
    if own is not None and own.code == code:  # a grid post's figures are its village's
        return own
    try:
        return access_jurisdiction(session, user, code)
    except Problem as p:
        raise _as_400(p) from p


def view_period(text: str, today: date) -> Period:
    if not text:
        return this_month(today)
    try:
        return parse_period(text)
    except Problem as p:
        raise _as_400(p) from p


def parse_view(
    session: Session, user: User, today: date, *, jurisdiction: str, period: str,
    category: str, kind: str, rate: str, months: str,
) -> BoardView:  # fmt: skip
    """The view the query parameters name; a bad value is a 400 that says which."""
    node = view_node(session, user, jurisdiction)
    chosen = view_period(period, today)
    try:
        check_category(session, category or None)
    except Problem as p:
        raise _as_400(p) from p
    if kind and kind not in KINDS:
        raise bad_input("bad_kind", f"类型有误：{kind!r}（dispute 或 request）/ invalid kind")
    if rate and rate not in RATES:
        raise bad_input("bad_rate", f"指标有误：{rate!r} / invalid rate")
    if months and months not in {str(n) for n in TREND_MONTHS}:
        raise bad_input("bad_months", f"趋势月数有误：{months!r}（12 或 24）/ invalid months")
    return BoardView(node, chosen, category, kind, rate or "resolution_rate", int(months or 12))


def breadcrumb(user: User, node: Jurisdiction) -> list[Jurisdiction]:
    """The nodes from the user's post (its village for a grid post) down to `node`."""
    top = stats_node(user.jurisdiction) if user.jurisdiction is not None else node
    path: list[Jurisdiction] = []
    walk: Jurisdiction | None = node
    while walk is not None:
        path.append(walk)
        if walk.id == top.id:
            break
        walk = walk.parent
    return list(reversed(path))


def drill_href(view: BoardView, code: str) -> str:
    """A child row's link: the same view one level down (a village's board links its grids)."""
    return view.url(code=code)


def _base_rows(session: Session, d: Dashboard, base: Period, applies: bool) -> dict[str, ChildRow]:
    if not applies or not comparable(base, d.rules):
        return {}
    scope = scope_of(d.jurisdiction, d.category).of_kind(d.kind)
    rows = child_rows(session, d.jurisdiction, scope, base, d.today, d.rules, with_overdue=False)
    return {r.code: r for r in rows}


def ranking(session: Session, view: BoardView, d: Dashboard) -> list[RankRow]:
    """The child rows on `view.rate`, best first (no value last), with 环比 and 同比."""
    metric = BY_KEY[view.rate]
    previous = _base_rows(session, d, d.period.previous(), has_mom(d.period))
    year_ago = _base_rows(session, d, d.period.year_ago(), True)
    rows = []
    for c in d.children:
        value = c.values[metric.key]
        before, last_year = previous.get(c.code), year_ago.get(c.code)
        rows.append(RankRow(
            c.code, c.name, value,
            change(metric, value, before.values[metric.key]) if before else None,
            change(metric, value, last_year.values[metric.key]) if last_year else None,
            int(c.values["registered"] or 0), int(c.values["resolved"] or 0),
            drill_href(view, c.code),
        ))  # fmt: skip
    return sorted(rows, key=lambda r: (r.value is None, -(r.value or 0.0), r.code))


def trend(session: Session, view: BoardView) -> dict[str, list[Any]]:
    """Registered and resolved per registration month and 化解率, over the `view.months`
    months that end with the period's last month (the view's category and kind)."""
    last = add_months(view.period.first, view.period.months - 1)
    first = add_months(last, -(view.months - 1))
    scope = scope_of(view.node, view.category or None).of_kind(view.kind or None)
    stmt = (
        select(COHORT.c.month, func.sum(COHORT.c.registered), func.sum(COHORT.c.resolved))
        .where(scope.condition(COHORT, rollup=ALL_CATEGORIES), scope.places(COHORT))
        .where(COHORT.c.month >= first, COHORT.c.month <= last)
        .group_by(COHORT.c.month)
    )
    found = {m: (int(r), int(s)) for m, r, s in session.execute(stmt)}
    months = [add_months(first, i) for i in range(view.months)]
    counts = [found.get(m, (0, 0)) for m in months]
    return {
        "months": [f"{m.year}-{m.month:02d}" for m in months],
        "registered": [r for r, _ in counts],
        "resolved": [s for _, s in counts],
        "rate": [round(s / r * 100, 1) if r else None for r, s in counts],
    }


# (card, msgid, metric, the case list's figure): a count's card lists its cases; a rate's
# card lists its numerator's cases. 超期数 is as of today (its list has no period).
CARDS: tuple[tuple[str, str, str, str], ...] = (
    ("registered", N_("Cases registered"), "registered", "registered"),
    ("accepted", N_("Cases accepted"), "accepted", "accepted"),
    ("resolved", N_("Cases resolved"), "resolved", "resolved"),
    ("resolution_rate", N_("Resolution rate"), "resolution_rate", "resolved"),
    ("satisfaction_rate", N_("Satisfaction rate"), "satisfaction_rate", "satisfied"),
    ("violence_risk", N_("Risk of turning violent"), "violence_risk", "violence_risk"),
    ("violence_prevented", N_("Violence prevented"), "violence_prevented", "violence_resolved"),
    ("overdue", N_("Overdue today"), "overdue", "overdue"),
)


def cases_href(view: BoardView, figure: str) -> str:
    """The case list of the cases behind a figure of the view (cases.listing FIGURES)."""
    items = [("jurisdiction", view.node.code), ("figure", figure)]
    if figure != "overdue":
        items += [("date_from", view.period.first.isoformat())]
        items += [("date_to", view.period.end.isoformat())]
    items += [(k, v) for k, v in (("category", view.category), ("kind", view.kind)) if v]
    return f"/cases?{urlencode(items)}"


def shown(metric: str, value: float | int | None) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.1f}%" if BY_KEY[metric].kind == "rate" else str(value)


def figure_cards(view: BoardView, d: Dashboard) -> list[FigureCard]:
    """The cards of the view; 超期数 is today's count (docs/metrics.md) in every period."""
    values = dict(d.values) | {"violence_risk": d.counters.get("violence_risk", 0)}
    values["overdue"] = d.counters.get("overdue_today", d.counters.get("overdue", 0))
    cards = []
    for key, label, metric, figure in CARDS:
        value = values.get(metric)
        text = shown(metric, value) if metric in BY_KEY else str(value)
        tone = "is-danger" if key == "overdue" and value else ""
        cards.append(FigureCard(key, label, text, cases_href(view, figure), tone))
    return cards
