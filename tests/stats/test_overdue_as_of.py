"""超期 in a past period's report is the count at the period's last day, with today's beside
it (issue 15 item 6). Hand-built cases with the expected figures, counted by the maintained
aggregates and by the recount from the cases and their superseded deadlines."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from grassroots.cases.editing.actions import do_edit_case
from grassroots.cases.editing.schemas import CaseEdit
from grassroots.cases.models import Case
from grassroots.stats import aggregates, recount
from grassroots.stats.periods import parse_period
from grassroots.stats.scope import Scope
from tests.stats import history as h
from tests.stats.conftest import COUNTY, assert_agree, nonzero

START = datetime(2026, 8, 3, 2, tzinfo=UTC)  # Monday 3 August, 10:00 in China
TODAY = date(2026, 12, 4)
SCOPE = Scope("county", COUNTY)


def at(day: date) -> datetime:
    return datetime.combine(day, START.timetz())


def to_village(session: Session, w: h.World, grid: int) -> Case:
    case = h.register(session, w, w.grids[grid], "neighbour", START)
    h.step(session, w, case, "accept", START)
    while case.level != "village":
        h.step(session, w, case, "refer_down", START)
    assert case.resolve_due is not None and case.resolve_due < date(2026, 9, 5)
    return case


def overdue_on(session: Session, day: date) -> int:
    counted = [m.overdue_at(session, SCOPE, day, None) for m in (aggregates,)]
    counted.append(recount.overdue_at(session, SCOPE, day))
    assert counted[0] == counted[1], day
    return counted[0].get("", {}).get("overdue", 0)


def test_a_past_quarter_counts_overdue_cases_at_its_last_day(session: Session) -> None:
    w = h.world(session)
    late = to_village(session, w, 0)  # overdue from early September, resolved 15 October
    h.step(session, w, late, "assign", START)
    moved = to_village(session, w, 1)  # overdue at the village, escalated 10 September
    stopped = to_village(session, w, 2)  # suspended 10 September, still suspended
    h.step(session, w, stopped, "assign", START)
    still = to_village(session, w, 3)  # never resolved
    h.step(session, w, moved, "escalate", at(date(2026, 9, 10)))
    assert moved.resolve_due is not None and date(2026, 9, 30) < moved.resolve_due
    assert moved.resolve_due < date(2026, 10, 31)
    h.step(session, w, stopped, "suspend", at(date(2026, 9, 10)))
    h.step(session, w, late, "resolve", at(date(2026, 10, 15)))
    h.step(session, w, moved, "assign", at(date(2026, 11, 20)))
    h.step(session, w, moved, "resolve", at(date(2026, 11, 20)))
    assert still.state == "accepted"

    assert overdue_on(session, date(2026, 9, 5)) == 4  # all four past the village deadline
    assert overdue_on(session, date(2026, 9, 30)) == 2  # late and still
    assert overdue_on(session, date(2026, 10, 31)) == 2  # moved (township) and still
    assert overdue_on(session, TODAY) == 1  # still
    for counted in (aggregates, recount):
        q3 = counted.counters(session, SCOPE, parse_period("2026-Q3"), TODAY)[""]
        assert (q3["overdue"], q3["overdue_today"]) == (2, 1), counted.__name__
        running = counted.counters(session, SCOPE, parse_period("2026-12"), TODAY)[""]
        assert running["overdue"] == 1 and "overdue_today" not in running
    for text in ("2026-Q3", "2026-09", "2026-10", "2026"):
        assert_agree(session, SCOPE, parse_period(text), TODAY)


def test_the_count_at_today_is_the_overdue_count(session: Session) -> None:
    """After a random history (escalations, referrals, suspensions, rework): both counts
    agree on every day, and at today the count is 超期数 as the dashboard counts it."""
    h.build_history(session, 40, seed=5, first=START, days=60)
    for day in (date(2026, 9, 1), date(2026, 9, 15), date(2026, 10, 20), date(2026, 11, 9)):
        overdue_on(session, day)
    now = aggregates.overdue_now(session, SCOPE, TODAY, None).get("", {}).get("overdue", 0)
    assert overdue_on(session, TODAY) == now


def test_an_edit_moves_the_superseded_deadlines_with_the_case(session: Session) -> None:
    """Changing a case's category or grid (修改案件信息) moves its missed village deadline's
    overdue days with it: the category's and the villages' counts still agree."""
    w = h.world(session)
    case = to_village(session, w, 0)
    h.step(session, w, case, "escalate", at(date(2026, 9, 10)))  # missed at the village
    other_grid = next(g for g in w.grids if g[:12] != w.grids[0][:12])
    edit = CaseEdit(reason="登记有误", category_code="contract", grid_code=other_grid)
    do_edit_case(session, case.code, edit, actor=w.chen, expected_version=case.version)
    assert (case.category_code, case.grid_code) == ("contract", other_grid)
    assert overdue_on(session, date(2026, 9, 5)) == 1
    spell_day = date(2026, 9, 5)  # the village deadline was overdue, now under "contract"
    for category, expected in (("contract", 1), ("neighbour", 0)):
        scope = Scope("county", COUNTY, category)
        kept = aggregates.overdue_at(session, scope, spell_day, None)
        assert kept == recount.overdue_at(session, scope, spell_day)
        assert kept.get("", {}).get("overdue", 0) == expected, category
    by_township = aggregates.overdue_at(session, SCOPE, spell_day, "township_code")
    assert nonzero(by_township) == {other_grid[:9] + "000": {"overdue": 1}}
    assert by_township == recount.overdue_at(session, SCOPE, spell_day, by_child=True)
    for scope in (Scope("county", COUNTY, "contract"), Scope("county", COUNTY, "neighbour")):
        assert_agree(session, scope, parse_period("2026-Q3"), TODAY)
    assert_agree(session, SCOPE, parse_period("2026-09"), TODAY)
    per_place = [m.counters(session, SCOPE, parse_period("2026-09"), TODAY, by_child=True)
                 for m in (aggregates, recount)]  # fmt: skip
    assert nonzero(per_place[0]) == nonzero(per_place[1])
    assert nonzero(per_place[0])[other_grid[:9] + "000"]["overdue_today"] == 1
