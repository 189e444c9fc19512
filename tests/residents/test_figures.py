"""满意率 has two sources, each with its own denominator: the staff's follow-up (回访) and the
resident's own rating (群众评价). A report marked as spam counts nowhere. Hand-built: five
cases in wang's grid this month, the expected figures written out, and the maintained
aggregates equal to the recount from the cases."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.calendar.today import china_today
from grassroots.cases import schemas as s
from grassroots.cases.actions import do_register, run_action
from grassroots.config import Settings
from grassroots.reports.content.data import gather
from grassroots.reports.office.excel import render_xlsx
from grassroots.residents.actions import do_rate, do_report
from grassroots.residents.pow import issue, solve
from grassroots.residents.schemas import RatingIn, ReportIn
from grassroots.scope import current_jurisdiction
from grassroots.stats import aggregates, recount
from grassroots.stats.figures import metrics
from grassroots.stats.figures.derived import Rules
from grassroots.stats.periods import parse_period
from grassroots.stats.scope import Scope
from tests.reports.read import sheets
from tests.stats.conftest import COUNTY, QINGSHI, assert_agree, nonzero

SETTINGS = Settings(public_pow_bits=0)


def _report(session: Session, point: tuple[float, float]) -> tuple[str, str]:
    proof = solve(issue(0, 60))
    data = ReportIn(category_code="neighbour", description="邻里之间因排水沟堵塞起争执",
                    lat=point[0], lng=point[1], proof=proof)  # fmt: skip
    case, _, code = do_report(session, data, SETTINGS)
    return case.code, code


def _resolve(session: Session, users: dict[str, User], code: str, village: str) -> None:
    zhao = users["zhao"]
    run_action(session, code, "accept", s.Accept(), actor=zhao)
    run_action(session, code, "assign", s.Assign(unit_code=f"{village}-mediation"), actor=zhao)
    run_action(session, code, "resolve", s.Resolve(outcome_note="双方和解"), actor=zhao)


def _follow_up(session: Session, users: dict[str, User], code: str, satisfaction: str) -> None:
    params = s.FollowUp(performance="performed", satisfaction=satisfaction,
                        remaining_risk="none")  # fmt: skip
    run_action(session, code, "follow_up", params, actor=users["zhao"])


def _rate(session: Session, receipt: str, rating: str) -> None:
    do_rate(session, RatingIn(receipt_code=receipt, rating=rating, reopen=False), SETTINGS)


@pytest.fixture
def five(session: Session, users: dict[str, User], point: tuple[float, float], grid: Any) -> None:
    village = grid.parent.code
    a, b, c, d = (_report(session, point) for _ in range(4))
    for case_code, _ in (a, b, c):
        _resolve(session, users, case_code, village)
    _follow_up(session, users, a[0], "satisfied")
    _rate(session, a[1], "unsatisfied")  # staff heard 满意, the resident says 不满意
    _rate(session, b[1], "basically_satisfied")  # rated, never followed up
    _follow_up(session, users, c[0], "unsatisfied")
    _rate(session, c[1], "unsatisfied")
    run_action(session, d[0], "mark_spam", s.MarkSpam(reason="广告"), actor=users["zhao"])
    staff = s.NewCase(category_code="neighbour", source_code="visit", title="来访纠纷",
                      description="两户因宅基地界线起争执", grid_code=grid.code)  # fmt: skip
    e = do_register(session, staff, actor=users["wang"]).code
    _resolve(session, users, e, village)
    _follow_up(session, users, e, "satisfied")


@pytest.mark.usefixtures("five")
def test_two_sources_of_satisfaction_and_spam_left_out(session: Session) -> None:
    today = china_today()
    period = parse_period(today.strftime("%Y-%m"))
    for code in (COUNTY, QINGSHI):
        scope = Scope("county" if code == COUNTY else "township", code)
        c = aggregates.counters(session, scope, period, today)[""]
        expected = {
            "registered": 4, "resolved": 4,  # A, B, C, E — the spam report D counts nowhere
            "followed_up": 3, "satisfied": 2,  # staff: A 满意, C 不满意, E 满意
            "resident_rated": 3, "resident_satisfied": 1,  # A 不满意, B 基本满意, C 不满意
        }  # fmt: skip
        assert {k: c[k] for k in expected} == expected
        values = metrics.values(c)
        assert values["satisfaction_rate"] == pytest.approx(2 / 3)
        assert values["resident_satisfaction_rate"] == pytest.approx(1 / 3)
        reference = recount.counters(session, scope, period, today)[""]
        assert {k: reference[k] for k in expected} == expected
        assert_agree(session, scope, period, today)


@pytest.mark.usefixtures("five")
def test_a_rebuild_gives_the_same_figures(session: Session) -> None:
    from grassroots.cases.tallies import maintain

    today = china_today()
    period = parse_period(today.strftime("%Y-%m"))
    scope = Scope("county", COUNTY)
    before = nonzero(aggregates.counters(session, scope, period, today))
    maintain.rebuild(session)
    session.commit()
    assert nonzero(aggregates.counters(session, scope, period, today)) == before


@pytest.mark.usefixtures("five")
def test_the_workbook_gives_the_residents_ratings_beside_the_follow_up(session: Session) -> None:
    """统计表's 合计: 回访 3, 满意 2, 66.7 %; 群众自评 3, 满意 1 (B), 33.3 % — apart."""
    today = china_today()
    j = current_jurisdiction(session, COUNTY)
    assert j is not None
    data = gather(session, j, parse_period(today.strftime("%Y-%m")), today, Rules())
    total = sheets(render_xlsx(data))["统计表"]["合计"]
    assert total[12:15] == [3, 2, pytest.approx(0.6667)]
    assert total[17:20] == [3, 1, pytest.approx(0.3333)]
