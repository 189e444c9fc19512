"""按期办结率 over every level's deadline (issue 15 item 2): escalation, referral and 返工 keep
the deadline they replace, and a case that missed any deadline is not on time. Hand-built
cases with the expected figures, counted by the maintained aggregates and by the recount."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.cases.models import Case, DeadlineRecord
from grassroots.stats import aggregates, recount
from grassroots.stats.figures.derived import Rules, on_time_rate
from grassroots.stats.periods import parse_period
from grassroots.stats.scope import Scope
from tests.stats import history as h
from tests.stats.conftest import COUNTY, assert_agree

START = datetime(2026, 3, 2, 2, tzinfo=UTC)  # a Monday, 10:00 in China
TODAY = date(2026, 12, 1)
DAY = timedelta(days=1)


def records(session: Session, case: Case) -> list[tuple[str, str, bool]]:
    rows = session.scalars(
        select(DeadlineRecord).where(DeadlineRecord.case_id == case.id).order_by(DeadlineRecord.id)
    )
    return [(r.level, r.ended_by, r.missed) for r in rows]


def to_village(session: Session, w: h.World, grid: int, at: datetime) -> Case:
    """Registered, accepted by the county and referred down to the village on one day."""
    case = h.register(session, w, w.grids[grid], "neighbour", at)
    h.step(session, w, case, "accept", at)
    while case.level != "village":
        h.step(session, w, case, "refer_down", at)
    return case


def figures(session: Session) -> dict[str, int]:
    scope, period = Scope("county", COUNTY), parse_period("2026")
    assert_agree(session, scope, period, TODAY)
    counted = [c.counters(session, scope, period, TODAY)[""] for c in (aggregates, recount)]
    assert counted[0] == counted[1]
    return {k: counted[0][k] for k in ("due", "on_time", "on_time_terminated")}


def settle(session: Session, w: h.World, case: Case, verb: str, at: datetime) -> None:
    h.step(session, w, case, "assign", at)
    h.step(session, w, case, verb, at)


def test_overdue_at_the_village_then_resolved_in_time_at_the_township_is_not_on_time(
    session: Session,
) -> None:
    w = h.world(session)
    case = to_village(session, w, 0, START)
    village_due = case.resolve_due
    assert village_due is not None
    late = datetime.combine(village_due + 3 * DAY, START.timetz())
    h.step(session, w, case, "escalate", late)  # overdue at the village, then escalated
    assert case.level == "township" and case.resolve_due is not None
    assert case.resolve_due > village_due  # the new clock alone would say 按期
    settle(session, w, case, "resolve", late + DAY)
    assert case.missed_deadlines == 1
    assert records(session, case)[-1] == ("village", "escalate", True)
    assert figures(session) == {"due": 1, "on_time": 0, "on_time_terminated": 0}


def test_resolved_within_every_deadline_is_on_time(session: Session) -> None:
    w = h.world(session)
    case = to_village(session, w, 1, START)
    h.step(session, w, case, "escalate", START + 5 * DAY)  # before the village deadline
    settle(session, w, case, "resolve", START + 8 * DAY)
    assert case.missed_deadlines == 0
    assert [r[1:] for r in records(session, case)][-1] == ("escalate", False)
    assert all(not missed for _, _, missed in records(session, case))
    assert figures(session) == {"due": 1, "on_time": 1, "on_time_terminated": 0}


def test_rework_then_resolved_in_time_is_on_time_unless_the_first_was_late(
    session: Session,
) -> None:
    w = h.world(session)
    good = to_village(session, w, 2, START)
    settle(session, w, good, "resolve", START + 3 * DAY)  # well before the deadline
    h.step(session, w, good, "reopen", START + 6 * DAY)  # 返工
    h.step(session, w, good, "resolve", START + 9 * DAY)
    assert records(session, good)[-1] == ("village", "reopen", False)

    late = to_village(session, w, 3, START)
    assert late.resolve_due is not None
    after_due = datetime.combine(late.resolve_due + 2 * DAY, START.timetz())
    settle(session, w, late, "resolve", after_due)  # missed the village deadline
    h.step(session, w, late, "reopen", after_due + DAY)
    h.step(session, w, late, "resolve", after_due + 2 * DAY)  # the new clock: in time
    assert records(session, late)[-1] == ("village", "reopen", True)
    assert late.missed_deadlines == 1
    assert figures(session) == {"due": 2, "on_time": 1, "on_time_terminated": 0}


def test_terminated_in_time_counts_as_on_time_when_the_setting_says_so(session: Session) -> None:
    w = h.world(session)
    in_time = to_village(session, w, 4, START)
    settle(session, w, in_time, "terminate", START + 4 * DAY)  # routes told, in time
    missed = to_village(session, w, 5, START)
    assert missed.resolve_due is not None
    late = datetime.combine(missed.resolve_due + DAY, START.timetz())
    h.step(session, w, missed, "escalate", late)
    settle(session, w, missed, "terminate", late + DAY)  # in time at the township only
    resolved = to_village(session, w, 6, START)
    settle(session, w, resolved, "resolve", START + 2 * DAY)
    counted = figures(session)
    assert counted == {"due": 3, "on_time": 1, "on_time_terminated": 1}
    assert on_time_rate(counted, Rules(terminated_concluded=True)) == 2 / 3
    assert on_time_rate(counted, Rules(terminated_concluded=False)) == 1 / 3
