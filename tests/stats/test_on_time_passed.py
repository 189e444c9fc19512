"""按期办结率 counts only deadlines settled by today: open cases not yet due stay out
(issue 15 item 1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from grassroots.stats import aggregates, recount
from grassroots.stats.periods import parse_period
from grassroots.stats.scope import Scope
from tests.stats import history as h
from tests.stats.conftest import COUNTY, assert_agree

EARLY = datetime(2026, 3, 2, 2, tzinfo=UTC)
LATER = EARLY + timedelta(days=28)


def test_open_cases_not_yet_due_leave_the_denominator(session: Session) -> None:
    w = h.world(session)
    made = [h.register(session, w, w.grids[i], "neighbour", when) for i, when in
            enumerate((EARLY, EARLY, LATER, LATER))]  # fmt: skip
    met, missed, pending, early = made
    for c in made:
        h.step(session, w, c, "accept", c.registered_at)
    assert met.resolve_due is not None and pending.resolve_due is not None
    today = met.resolve_due + timedelta(days=1)
    assert pending.resolve_due >= today and missed.resolve_due == met.resolve_due
    h.step(session, w, met, "assign", EARLY)
    h.step(session, w, met, "resolve", EARLY + timedelta(days=1))
    h.step(session, w, early, "assign", LATER)
    h.step(session, w, early, "resolve", LATER + timedelta(days=1))
    scope, period = Scope("county", COUNTY), parse_period("2026")
    for counted in (aggregates, recount):
        figures = counted.counters(session, scope, period, today)[""]
        # met and missed have passed; early was met before its day; pending is not yet due
        assert (figures["due"], figures["on_time"]) == (3, 2), counted.__name__
    assert_agree(session, scope, period, today)
    later = pending.resolve_due + timedelta(days=1)
    assert aggregates.counters(session, scope, period, later)[""]["due"] == 4
