"""The dashboard map's per-grid counts: suspended (中止) cases are open but not overdue."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from grassroots.cases.listing.queries import open_by_grid
from tests.stats import history as h

START = datetime(2026, 3, 2, 2, tzinfo=UTC)
LATE = date(2026, 9, 1)  # long after both deadlines


def test_suspended_case_is_open_but_not_overdue_on_the_map(session: Session) -> None:
    w = h.world(session)
    grid = w.grids[0]
    running = h.register(session, w, grid, "neighbour", START)
    paused = h.register(session, w, grid, "neighbour", START)
    for c in (running, paused):
        h.step(session, w, c, "accept", START)
    h.step(session, w, paused, "assign", START)
    h.step(session, w, paused, "suspend", datetime(2026, 3, 3, 2, tzinfo=UTC))
    assert open_by_grid(session, w.chen, LATE)[grid] == {"open": 2, "overdue": 1}
    h.step(session, w, paused, "resume", datetime(2026, 6, 1, 2, tzinfo=UTC))
    assert open_by_grid(session, w.chen, LATE)[grid] == {"open": 2, "overdue": 2}
