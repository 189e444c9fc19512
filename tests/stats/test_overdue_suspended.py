"""超期数 leaves suspended (中止) cases out while their clock is stopped (issue 15 item 5)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from grassroots.stats import aggregates, recount
from grassroots.stats.periods import parse_period
from grassroots.stats.scope import Scope
from tests.stats import history as h
from tests.stats.conftest import COUNTY, assert_agree

START = datetime(2026, 3, 2, 2, tzinfo=UTC)  # Monday
LATE = date(2026, 9, 1)  # long after every deadline of these cases


def _overdue(session: Session, today: date) -> tuple[int, int]:
    scope, period = Scope("county", COUNTY), parse_period("2026")
    kept = aggregates.counters(session, scope, period, today).get("", {})
    counted = recount.counters(session, scope, period, today).get("", {})
    return kept.get("overdue", 0), counted.get("overdue", 0)


def test_suspended_case_is_not_overdue_until_resumed(session: Session) -> None:
    w = h.world(session)
    running = h.register(session, w, w.grids[0], "neighbour", START)
    paused = h.register(session, w, w.grids[1], "neighbour", START)
    h.step(session, w, running, "accept", START)
    h.step(session, w, paused, "accept", START)
    h.step(session, w, paused, "assign", START)
    h.step(session, w, paused, "suspend", datetime(2026, 3, 3, 2, tzinfo=UTC))
    assert running.resolve_due is not None and running.resolve_due < LATE
    assert _overdue(session, LATE) == (1, 1)  # only the running case
    assert_agree(session, Scope("county", COUNTY), parse_period("2026"), LATE)

    h.step(session, w, paused, "resume", datetime(2026, 6, 1, 2, tzinfo=UTC))
    assert paused.resolve_due is not None and paused.resolve_due < LATE
    assert _overdue(session, LATE) == (2, 2)  # its clock runs again and it ran out
    assert _overdue(session, paused.resolve_due) == (1, 1)  # not yet on its own due day
