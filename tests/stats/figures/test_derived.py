"""The setting-dependent figures (grassroots.stats.figures.derived) on a hand-built set of cases:
就地化解率 by scope, 同比/环比 against bases before the go-live day, a year's 环比, and the
running period's "截至" mark — in the dashboard and in the report's text."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from grassroots.cases.models import Case
from grassroots.reports.content.context import figures
from grassroots.reports.content.data import gather
from grassroots.scope import current_jurisdiction
from grassroots.stats.figures.derived import Rules, comparable, has_mom, running
from grassroots.stats.periods import parse_period
from grassroots.stats.queries import dashboard
from tests.stats import history as h
from tests.stats.conftest import COUNTY


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 2, tzinfo=UTC)


def _case(session: Session, w: h.World, day: date, downs: int | None) -> Case:
    """Registered on `day`; resolved after `downs` refer_downs (None: left registered)."""
    at = _at(day)
    case = h.register(session, w, w.grids[0], "neighbour", at)
    if downs is None:
        return case
    verbs = ["accept", *["refer_down"] * downs, "assign", "resolve"]
    for i, verb in enumerate(verbs, start=1):
        case = h.step(session, w, case, verb, at + timedelta(hours=i))
    return case


@pytest.fixture
def built(session: Session) -> Session:
    """March 2026: resolved at village, township, county, and one left registered (4 cases);
    February 2026 and March 2025: one case each (the 环比 and 同比 bases)."""
    w = h.world(session)
    for downs in (2, 1, 0, None):
        _case(session, w, date(2026, 3, 10), downs)
    _case(session, w, date(2026, 2, 10), None)
    _case(session, w, date(2025, 3, 10), None)
    return session


@pytest.mark.parametrize(
    ("scope", "expected"), [("village", 1 / 3), ("township", 2 / 3), ("county", 1.0)]
)
def test_local_resolution_rate_follows_the_setting(
    built: Session, scope: str, expected: float
) -> None:
    county = current_jurisdiction(built, COUNTY)
    assert county is not None
    d = dashboard(built, county, parse_period("2026-03"), today=date(2026, 4, 2),
                  rules=Rules(local_scope=scope))  # fmt: skip
    assert d.counters["resolved"] == 3
    assert d.values["local_resolution_rate"] == pytest.approx(expected)
    assert d.values["village_share"] == pytest.approx(1 / 3)  # unchanged by the setting


def test_no_comparison_with_a_base_before_go_live(built: Session) -> None:
    county = current_jurisdiction(built, COUNTY)
    assert county is not None
    march = parse_period("2026-03")
    open_base = dashboard(built, county, march, today=date(2026, 4, 2), rules=Rules())
    assert open_base.yoy["registered"] == pytest.approx(3.0)  # 4 against 1
    assert open_base.mom["registered"] == pytest.approx(3.0)
    late = Rules(go_live=date(2025, 3, 5))  # the 2025-03 base is partial
    d = dashboard(built, county, march, today=date(2026, 4, 2), rules=late)
    assert d.yoy["registered"] is None
    assert d.year_ago["registered"] is None
    assert d.mom["registered"] == pytest.approx(3.0)
    text = figures(gather(built, county, march, date(2026, 4, 2), late))
    assert text["registered_change"] == "同比无可比数据，环比增长300.0%"
    assert "2025年3月5日启用" in text["comparison_note"]
    assert text["period_note"] == ""


def test_a_year_has_no_mom_and_a_running_period_says_so(built: Session) -> None:
    county = current_jurisdiction(built, COUNTY)
    assert county is not None
    year = parse_period("2026")
    d = dashboard(built, county, year, today=date(2026, 3, 20), rules=Rules())
    assert not d.mom_applies and d.running
    assert all(v is None for v in d.mom.values())
    text = figures(gather(built, county, year, date(2026, 3, 20), Rules()))
    assert text["period_note"] == "（截至3月20日）"
    assert "环比" not in text["registered_change"]
    assert text["registered_mom"] == "不适用（同同比）"
    assert "只列同比" in text["comparison_note"]
    township = Rules(local_scope="township")
    text = figures(gather(built, county, parse_period("2026-03"), date(2026, 4, 2), township))
    assert text["local_resolution_rate"] == "66.7%"
    assert text["local_resolution_definition"].startswith("在村（社区）、乡镇（街道）两级")


def test_the_rules_on_periods() -> None:
    assert not has_mom(parse_period("2026"))
    assert not has_mom(parse_period("2025-07..2026-06"))
    assert has_mom(parse_period("2026-Q3")) and has_mom(parse_period("2026-01..2026-11"))
    assert running(parse_period("2026-Q4"), date(2026, 12, 4))
    assert not running(parse_period("2026-Q3"), date(2026, 12, 4))
    live = Rules(go_live=date(2025, 11, 5))
    assert not comparable(parse_period("2025-Q4"), live)
    assert comparable(parse_period("2025-12"), live)
    assert comparable(parse_period("2020"), Rules())
