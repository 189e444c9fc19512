"""Issue 15 item 12: a follow-up that finds the agreement not performed does not let the case
close as 化解. 督促履行 needs a new follow-up; 司法确认 needs the joint application within 30
days of the agreement (人民调解法 art. 33); 诉讼 closes the case with outcome not_performed,
which the 化解 figures leave out (aggregates and the independent recount agree)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from grassroots.cases import schemas as s
from grassroots.cases.actions import do_accept, do_assign, do_register, run_action
from grassroots.cases.models import Case
from grassroots.errors import Problem
from grassroots.stats import aggregates
from grassroots.stats.periods import parse_period
from grassroots.stats.scope import Scope
from tests.cases.conftest import grid_in
from tests.cases.workflow.test_mediation_rules import AGREEMENT
from tests.stats.conftest import COUNTY, assert_agree

AGREED = date(2026, 3, 2)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)  # 10:00 in Beijing


def _do(session, users, code, action, params, day=AGREED, who="zhao"):  # type: ignore[no-untyped-def]
    return run_action(session, code, action, params, actor=users[who], now=at(day))


def _refusal(session, users, code, action, params, day=AGREED) -> Problem:  # type: ignore[no-untyped-def]
    with pytest.raises(Problem) as caught:
        _do(session, users, code, action, params, day)
    return caught.value


def _followed_up(session, users, performance: str) -> str:  # type: ignore[no-untyped-def]
    """A case resolved by a written agreement (recorded on AGREED), then followed up."""
    new = s.NewCase(category_code="neighbour", source_code="visit", title="邻里纠纷",
                    description="排水纠纷", grid_code=grid_in(session, users["wang"]))  # fmt: skip
    case = do_register(session, new, actor=users["wang"], now=at(AGREED))
    code = case.code
    do_accept(session, code, actor=users["zhao"], now=at(AGREED))
    unit = s.Assign(unit_code=f"{case.village_code}-mediation")
    do_assign(session, code, unit, actor=users["zhao"], now=at(AGREED))
    _do(session, users, code, "record_agreement", s.RecordAgreement(**AGREEMENT))
    _do(session, users, code, "resolve",
        s.Resolve(outcome_note="达成协议", method="mediation_agreement"))  # fmt: skip
    follow = s.FollowUp(performance=performance, satisfaction="unsatisfied",
                        remaining_risk="low")  # fmt: skip
    _do(session, users, code, "follow_up", follow, AGREED + timedelta(days=7))
    return code


def _route(route: str, applied_on: date | None = None) -> s.PursuePerformance:
    return s.PursuePerformance(route=route, note="处置", applied_on=applied_on)


def test_an_unperformed_agreement_cannot_close_without_a_route(session, users):
    code = _followed_up(session, users, "not_performed")
    assert _refusal(session, users, code, "close", s.Close()).code == "performance_route_required"
    _do(session, users, code, "pursue_performance", _route("urge"))
    # urging is a step, not an end: the case still may not close
    assert _refusal(session, users, code, "close", s.Close()).code == "performance_route_required"
    again = s.FollowUp(performance="performed", satisfaction="satisfied", remaining_risk="none")
    _do(session, users, code, "follow_up", again, AGREED + timedelta(days=20))
    case: Case = _do(session, users, code, "close", s.Close(), AGREED + timedelta(days=21))
    assert (case.state, case.outcome, case.performance) == ("closed", "resolved", "performed")


def test_litigation_closes_without_counting_as_resolved(session, users):
    code = _followed_up(session, users, "partly_performed")
    scope, period, today = Scope("county", COUNTY), parse_period("2026-03"), date(2026, 3, 31)
    before = aggregates.counters(session, scope, period, today)[""]["resolved"]
    _do(session, users, code, "pursue_performance", _route("litigation"))
    case: Case = _do(session, users, code, "close", s.Close(), AGREED + timedelta(days=9))
    assert (case.state, case.outcome, case.performance_route) == (
        "closed", "not_performed", "litigation",
    )  # fmt: skip
    assert aggregates.counters(session, scope, period, today)[""]["resolved"] == before - 1
    assert_agree(session, scope, period, today)
    assert case.events[-1].details["outcome"] == "not_performed"


@pytest.mark.parametrize(
    ("applied_on", "code"),
    [
        (None, "applied_on_required"),
        (AGREED - timedelta(days=1), "outside_judicial_window"),
        (AGREED + timedelta(days=31), "outside_judicial_window"),
    ],
)
def test_judicial_confirmation_needs_an_application_within_30_days(
    session, users, applied_on, code
):
    case_code = _followed_up(session, users, "not_performed")
    today = AGREED + timedelta(days=40)
    problem = _refusal(session, users, case_code, "pursue_performance",
                       _route("judicial_confirmation", applied_on), today)  # fmt: skip
    assert problem.code == code and problem.status == 422
    case = session.scalar(select(Case).where(Case.code == case_code))
    assert case is not None and case.performance_route is None


def test_judicial_confirmation_on_the_30th_day_closes_as_resolved(session, users):
    code = _followed_up(session, users, "not_performed")
    last = AGREED + timedelta(days=30)
    route = _route("judicial_confirmation", last)
    assert (
        _refusal(session, users, code, "pursue_performance", route, last - timedelta(days=1)).code
        == "outside_judicial_window"
    )  # fmt: skip  (not in the future)
    _do(session, users, code, "pursue_performance", route, last)
    case: Case = _do(session, users, code, "close", s.Close(), last)
    assert (case.outcome, case.performance_route) == ("resolved", "judicial_confirmation")
    pursued = next(e for e in case.events if e.action == "pursue_performance")
    assert pursued.details["applied_on"] == last.isoformat()


def test_a_performed_agreement_has_nothing_to_pursue(session, users):
    code = _followed_up(session, users, "performed")
    assert _refusal(session, users, code, "pursue_performance", _route("litigation")).code == (
        "agreement_performed"
    )
    assert _do(session, users, code, "close", s.Close()).outcome == "resolved"


def test_the_route_over_http_and_in_the_case_json(client_as, case_in):
    code, version = case_in("resolved")
    zhao = client_as("zhao")
    body = {"expected_version": version, "performance": "not_performed",
            "satisfaction": "unsatisfied", "remaining_risk": "low"}  # fmt: skip
    url = f"/api/v1/cases/{code}/actions"
    r = zhao.post(f"{url}/follow_up", json=body)
    assert r.status_code == 200, r.text
    r = zhao.post(f"{url}/close", json={"expected_version": r.json()["version"]})
    assert r.status_code == 409 and r.json()["code"] == "performance_route_required"
    version = zhao.get(f"/api/v1/cases/{code}").json()["version"]
    body = {"expected_version": version, "route": "litigation", "note": "告知诉讼"}
    r = zhao.post(f"{url}/pursue_performance", json=body)
    assert r.status_code == 200, r.text
    detail = zhao.get(f"/api/v1/cases/{code}").json()
    assert (detail["performance"], detail["performance_route"]) == ("not_performed", "litigation")
