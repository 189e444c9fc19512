from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.dictionary.models import Category
from grassroots.stats import aggregates, recount
from grassroots.stats.figures import grids
from grassroots.stats.periods import Period
from grassroots.stats.scope import Scope

PROVINCE = "990000000000"
CITY = "990100000000"
COUNTY = "990101000000"
QINGSHI = "990101002000"  # 青石镇, zhao's township


def nonzero(by_group: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    out = {}
    for g, counters in by_group.items():
        kept = {k: v for k, v in counters.items() if v}
        if kept:
            out[g] = kept
    return out


def assert_agree(session: Session, scope: Scope, period: Period, today: date) -> None:
    for kind in (None, "dispute", "request"):  # disputes and requests apart (issue 15 item 4)
        of_kind = scope.of_kind(kind)
        for by_child in (False, True):
            maintained = aggregates.counters(session, of_kind, period, today, by_child)
            reference = recount.counters(session, of_kind, period, today, by_child)
            assert nonzero(maintained) == nonzero(reference), (of_kind, period.label, by_child)
    for group in (None, "kind", "source_code"):
        maintained = aggregates.figure_counters(session, scope, period, group)
        reference = recount.figure_counters(session, scope, period, group)
        assert nonzero(maintained) == nonzero(reference), (scope, period.label, group)
    for group in (None, "village_code", "grid_code"):  # the figures per grid
        maintained = grids.grid_counters(session, scope, period, today, group)
        reference = recount.grid_counters(session, scope, period, today, group)
        assert nonzero(maintained) == nonzero(reference), (scope, period.label, group)


def assert_categories_agree(session: Session, scope: Scope, period: Period, today: date) -> None:
    """The per-category split (group_by category_code, as the reports read it) equals the
    recount of each category on its own."""
    split = aggregates.counters(session, scope, period, today, group_by="category_code")
    for code in session.scalars(select(Category.code)):
        one = Scope(scope.level, scope.code, code)
        reference = recount.counters(session, one, period, today).get("", {})
        got = split.get(code, {})
        assert nonzero({code: got}) == nonzero({code: reference}), (scope, code, period.label)
