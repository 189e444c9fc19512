"""stats_figures on a hand-built set of cases with the expected figures: disputes and requests
apart, by source, 在办, 调解终止 in time (办结), 不予受理, 回访 by outcome, the amount involved
and 群体性纠纷 — maintained equal to the recount, and printed so in the report."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from grassroots.cases import actions as act
from grassroots.cases import schemas as s
from grassroots.cases.models import Case
from grassroots.reports.content.breakdown import source_groups
from grassroots.reports.content.context import figures
from grassroots.reports.content.data import gather
from grassroots.scope import current_jurisdiction
from grassroots.stats import aggregates, recount
from grassroots.stats.figures.derived import Rules, concluded
from grassroots.stats.periods import parse_period
from grassroots.stats.scope import Scope
from tests.stats import history as h
from tests.stats.conftest import COUNTY, nonzero

START = datetime(2026, 3, 10, 2, tzinfo=UTC)
MARCH = parse_period("2026-03")
TODAY = date(2026, 7, 1)


def _register(session: Session, w: h.World, kind: str, source: str, people: int,
              amount: str | None = None) -> Case:  # fmt: skip
    body = s.NewCase(
        kind=s.CaseKind(kind), category_code="neighbour", source_code=source, title="测试",
        description="手工构造", grid_code=w.grids[0], people_involved=people,
        amount_involved=Decimal(amount) if amount else None,
    )  # fmt: skip
    return act.do_register(session, body, actor=w.qian, now=START)


def _steps(session: Session, w: h.World, case: Case, *plan: tuple[str, int, str]) -> Case:
    for verb, hours, satisfaction in plan:
        case = h.step(session, w, case, verb, START + timedelta(hours=hours), satisfaction)
    return case


@pytest.fixture
def built(session: Session) -> Session:
    w = h.world(session)
    ok, no = "satisfied", "unsatisfied"
    work = [("accept", 1, ok), ("assign", 2, ok)]
    # 1 dispute found on patrol, 6 people, resolved with 1000.50 元, followed up: satisfied
    c = _register(session, w, "dispute", "grid_patrol", 6, "1000.50")
    _steps(session, w, c, *work, ("resolve", 3, ok), ("follow_up", 30, ok))
    # 2 dispute on a visit: mediation ends within the limit; followed up: unsatisfied
    c = _register(session, w, "dispute", "visit", 2)
    _steps(session, w, c, *work, ("terminate", 5, ok), ("follow_up", 40, no))
    # 3 a 12345 request rejected (another route); followed up: satisfied
    c = _register(session, w, "request", "hotline_12345", 1)
    _steps(session, w, c, ("reject", 1, ok), ("follow_up", 20, ok))
    # 4 a request the court entrusted, 5 people, still in hand
    _steps(session, w, _register(session, w, "request", "court_entrusted", 5), work[0])
    # 5 a dispute the police passed on: mediation ends after the deadline
    c = _register(session, w, "dispute", "police_transfer", 0, "99.99")
    _steps(session, w, c, *work, ("terminate", 24 * 100, ok))
    return session


def test_figures_by_kind_source_and_outcome(built: Session) -> None:
    county = Scope("county", COUNTY)
    f = aggregates.figure_counters(built, county, MARCH)[""]
    assert {k: v for k, v in f.items() if v} == {
        "registered": 5, "accepted": 4, "resolved": 1, "terminated": 2,
        "terminated_in_time": 1, "rejected": 1, "pending": 1,
        "followed_up_resolved": 1, "satisfied_resolved": 1,
        "followed_up_terminated": 1, "followed_up_rejected": 1, "satisfied_rejected": 1,
        "amount_fen": 100050, "mass": 2,
    }  # fmt: skip
    kinds = aggregates.figure_counters(built, county, MARCH, "kind")
    assert (kinds["dispute"]["registered"], kinds["request"]["registered"]) == (3, 2)
    by_source = aggregates.figure_counters(built, county, MARCH, "source_code")
    assert source_groups(by_source) == [
        ("主动排查", 1), ("当事人申请", 1), ("委托移送", 2), ("12345热线", 1)
    ]  # fmt: skip
    assert concluded(f, Rules()) == 2 and concluded(f, Rules(terminated_concluded=False)) == 1
    for group in (None, "kind", "source_code", "township_code"):
        maintained = aggregates.figure_counters(built, county, MARCH, group)
        assert nonzero(maintained) == nonzero(recount.figure_counters(built, county, MARCH, group))


def test_the_report_prints_them(built: Session) -> None:
    j = current_jurisdiction(built, COUNTY)
    assert j is not None
    text = figures(gather(built, j, MARCH, TODAY, Rules()))
    names = ("disputes_registered", "requests_registered", "pending", "terminated",
             "terminated_in_time", "rejected", "concluded", "agreement_amount", "mass_disputes",
             "mass_min_people")  # fmt: skip
    shown = {k: text[k] for k in names}
    assert shown == {
        "disputes_registered": "3", "requests_registered": "2", "pending": "1",
        "terminated": "2", "terminated_in_time": "1", "rejected": "1", "concluded": "2",
        "agreement_amount": "1000.50", "mass_disputes": "2", "mass_min_people": "5",
    }  # fmt: skip
    assert text["sources_text"] == "主动排查1件，当事人申请1件，委托移送2件，12345热线1件"
    assert text["satisfaction_by_outcome_text"] == (
        "化解案件回访1件、满意率100.0%；调解终止案件回访1件、满意率0.0%；"
        "不予受理案件回访1件、满意率100.0%"
    )
    strict = figures(gather(built, j, MARCH, TODAY, Rules(terminated_concluded=False)))
    assert strict["concluded"] == "1" and "不计入" in strict["concluded_definition"]
