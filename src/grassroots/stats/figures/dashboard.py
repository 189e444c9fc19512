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
from grassroots.stats.periods import Period, add_months
from grassroots.stats.queries import dashboard
from grassroots.stats.scope import Scope


@dataclass(frozen=True)
class Card:
    key: str
    label: str  # msgid
    value: str
    tone: str = ""  # "", "is-warning", "is-danger"


def stats_node(node: Jurisdiction) -> Jurisdiction:
    """Statistics stop at the village: a grid post counts its village."""
    if node.level == Level.grid.value and node.parent is not None:
        return node.parent
    return node


def percent(value: float | int | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def month_cards(session: Session, node: Jurisdiction, today: date | None = None) -> list[Card]:
    today = today or china_today()
    month = Period("month", today.replace(day=1), 1)
    d = dashboard(session, stats_node(node), month, today=today, with_children=False)
    overdue = int(d.values["overdue"] or 0)
    n = stats_node(node)
    rounds = round_counters(session, Scope(n.level, n.code), month).get("", {})
    return [
        Card("registered", N_("Registered this month"), str(d.values["registered"] or 0)),
        Card("resolved", N_("Resolved"), str(d.values["resolved"] or 0)),
        Card("resolution_rate", N_("Resolution rate"), percent(d.values["resolution_rate"])),
        Card("local_rate", N_("Resolved locally"), percent(d.values["local_resolution_rate"])),
        Card("overdue", N_("Overdue"), str(overdue), "is-danger" if overdue else ""),
        Card("rounds", N_("Rounds this month"), str(rounds.get("rounds", 0))),
        Card("matters_found", N_("Matters found on rounds"), str(rounds.get("matters", 0))),
    ]


def _scope(node: Jurisdiction) -> Scope:
    n = stats_node(node)
    return Scope(n.level, n.code)


def trend(session: Session, node: Jurisdiction, months: int = 12) -> dict[str, list[Any]]:
    """Registered and resolved per registration month, the last `months` months."""
    first = add_months(china_today().replace(day=1), -(months - 1))
    stmt = (
        select(COHORT.c.month, func.sum(COHORT.c.registered), func.sum(COHORT.c.resolved))
        .where(_scope(node).condition(COHORT, rollup=ALL_CATEGORIES), COHORT.c.month >= first)
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
