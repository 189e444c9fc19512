"""Figures of the 工作台 (dashboard), from the maintained aggregates of grassroots.stats.

Cards and charts never scan the cases: they read stats' aggregate tables for the user's
jurisdiction. (Grid colouring and "my tasks" read open cases only; see cases/listing/queries.py.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.calendar.today import china_today
from grassroots.cases.tallies.contribution import ALL_CATEGORIES
from grassroots.dictionary.models import Category
from grassroots.geo.models import Jurisdiction, Level
from grassroots.i18n import N_
from grassroots.stats.aggregates import COHORT, round_counters
from grassroots.stats.periods import Period, add_months, this_month
from grassroots.stats.queries import dashboard
from grassroots.stats.scope import Scope


@dataclass(frozen=True)
class Card:
    key: str
    label: str  # msgid
    value: str
    tone: str = ""  # "", "is-warning", "is-danger"
    href: str = ""  # the cases behind the figure (cases.listing FIGURES), or its page


def stats_node(node: Jurisdiction) -> Jurisdiction:
    """Statistics stop at the village: a grid post counts its village."""
    if node.level == Level.grid.value and node.parent is not None:
        return node.parent
    return node


def percent(value: float | int | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def dashboard_periods(today: date | None = None) -> list[tuple[str, str]]:
    """The 工作台's period links: (period label, msgid); more on /stats/board."""
    today = today or china_today()
    month = this_month(today)
    quarter = (today.month - 1) // 3 + 1
    return [
        (month.label, N_("This month")),
        (Period("month", add_months(month.first, -1), 1).label, N_("Last month")),
        (f"{today.year}-Q{quarter}", N_("This quarter")),
        (f"{today.year}", N_("This year")),
        (f"{today.year - 1}", N_("Last year")),
    ]


def period_cards(
    session: Session, node: Jurisdiction, period: Period | None = None, today: date | None = None
) -> list[Card]:
    """The 工作台's figure cards for `period` (default: this month); 超期数 is today's."""
    today = today or china_today()
    period = period or this_month(today)
    d = dashboard(session, stats_node(node), period, today=today, with_children=False)
    overdue = int(d.values["overdue"] or 0)
    n = stats_node(node)
    rounds = round_counters(session, Scope(n.level, n.code), period).get("", {})
    listed = f"/cases?jurisdiction={n.code}&figure="
    dates = f"&date_from={period.first.isoformat()}&date_to={period.end.isoformat()}"
    return [
        Card("registered", N_("Registered"), str(d.values["registered"] or 0),
             href=f"{listed}registered{dates}"),
        Card("resolved", N_("Resolved"), str(d.values["resolved"] or 0),
             href=f"{listed}resolved{dates}"),
        Card("resolution_rate", N_("Resolution rate"), percent(d.values["resolution_rate"]),
             href=f"{listed}resolved{dates}"),
        Card("local_rate", N_("Resolved locally"), percent(d.values["local_resolution_rate"]),
             href=f"{listed}resolved_village{dates}"),
        Card("overdue", N_("Overdue"), str(overdue), "is-danger" if overdue else "",
             href=f"{listed}overdue"),
        Card("rounds", N_("Rounds"), str(rounds.get("rounds", 0)), href="/rounds"),
        Card("matters_found", N_("Matters found on rounds"), str(rounds.get("matters", 0)),
             href="/rounds"),
    ]  # fmt: skip


def _scope(node: Jurisdiction) -> Scope:
    n = stats_node(node)
    return Scope(n.level, n.code)


def trend(session: Session, node: Jurisdiction, months: int = 12) -> dict[str, list[Any]]:
    """Registered and resolved per registration month, the last `months` months."""
    first = add_months(china_today().replace(day=1), -(months - 1))
    stmt = (
        select(COHORT.c.month, func.sum(COHORT.c.registered), func.sum(COHORT.c.resolved))
        .where(_scope(node).condition(COHORT, rollup=ALL_CATEGORIES), COHORT.c.month >= first)
        .where(_scope(node).places(COHORT))
        .group_by(COHORT.c.month)
    )
    found = {m: (int(r), int(s)) for m, r, s in session.execute(stmt)}
    labels = [add_months(first, i) for i in range(months)]
    return {
        "months": [f"{m.year}-{m.month:02d}" for m in labels],
        "registered": [found.get(m, (0, 0))[0] for m in labels],
        "resolved": [found.get(m, (0, 0))[1] for m in labels],
    }


def by_category(
    session: Session, node: Jurisdiction, locale: str = "zh_CN"
) -> list[tuple[str, int]]:
    """(category name in the UI language, cases registered this year), largest first."""
    first = china_today().replace(month=1, day=1)
    stmt = (
        select(Category.name, Category.name_en, func.sum(COHORT.c.registered).label("n"))
        .join(Category, Category.code == COHORT.c.category_code)
        .where(
            _scope(node).condition(COHORT),
            _scope(node).places(COHORT),
            COHORT.c.category_code != ALL_CATEGORIES,
            COHORT.c.month >= first,
        )
        .group_by(Category.name, Category.name_en)
        .order_by(func.sum(COHORT.c.registered).desc())
    )
    return [
        (name_en if locale == "en" and name_en else name, int(n))
        for name, name_en, n in session.execute(stmt)
        if n
    ]
