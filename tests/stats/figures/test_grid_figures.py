"""Figures per grid (issue 23 item 3): the maintained stats_grid / stats_open_grid equal a
recount from the case rows, for a county, a township, a village and one grid, per grid and
per village; cases found on patrol (网格员巡查 and 主动排查发现) are counted as such."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.cases.intake.actions import do_register
from grassroots.cases.schemas import NewCase
from grassroots.rounds.actions import do_record_round
from grassroots.rounds.schemas import RoundIn
from grassroots.stats import recount
from grassroots.stats.figures import grids
from grassroots.stats.periods import parse_period
from grassroots.stats.scope import Scope
from tests.stats import history as h
from tests.stats.conftest import COUNTY, QINGSHI, nonzero

START = datetime(2026, 1, 5, 2, tzinfo=UTC)


def _patrol(session: Session, user: User, grid: str, at: datetime) -> None:
    body = NewCase(category_code="neighbour", source_code="grid_patrol", title="巡查发现",
                   description="巡查中发现的纠纷", grid_code=grid)  # fmt: skip
    do_register(session, body, actor=user, now=at)


@pytest.mark.slow
def test_grid_figures_equal_the_recount_at_every_level(session: Session, users: dict[str, User]):
    w = h.build_history(session, 50, seed=7, first=START, days=120)
    grid = w.grids[0]
    for i in range(3):
        _patrol(session, users["qian"], grid, START + timedelta(days=10 * i))
    matter = {"summary": "排查发现纠纷", "category_code": "neighbour", "to_case": True}
    found = RoundIn(grid_code=grid, held_on=date(2026, 2, 3), checks=["dispute_hotspot"],
                    matters=[matter])  # fmt: skip
    do_record_round(session, found, actor=users["qian"], now=datetime(2026, 2, 3, 3, tzinfo=UTC))
    today = date(2026, 6, 1)
    scopes = [Scope("county", COUNTY), Scope("township", QINGSHI),
              Scope("village", grid[:12]), Scope("grid", grid)]  # fmt: skip
    for scope in scopes:
        for label in ("2026-01", "2026-02", "2026-Q1", "2026"):
            for group in (None, "village_code", "grid_code"):
                period = parse_period(label)
                kept = grids.grid_counters(session, scope, period, today, group)
                assert nonzero(kept) == nonzero(
                    recount.grid_counters(session, scope, period, today, group)
                ), (scope, label, group)
    year = grids.grid_figures(session, Scope("grid", grid), parse_period("2026"), today)[""]
    assert year["found_by_patrol"] == 4 and year["rounds"] == 1 and year["matters"] == 1
    per_grid = grids.grid_figures(session, Scope("county", COUNTY), parse_period("2026"), today,
                                  "grid_code")  # fmt: skip
    assert sum(c["registered"] for c in per_grid.values()) == 54
    assert any(c["overdue"] for c in per_grid.values())
    assert any(c["resolved_in_grid"] for c in per_grid.values())
