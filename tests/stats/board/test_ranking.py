"""The board's ranking: each subordinate jurisdiction's rate and its 环比 are those the
statistics API gives for that jurisdiction, best first (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from grassroots.scope import current_jurisdiction
from grassroots.stats.board.queries import ranking
from grassroots.stats.board.schemas import BoardView
from grassroots.stats.periods import parse_period
from grassroots.stats.queries import dashboard
from tests.stats import history as h
from tests.stats.conftest import COUNTY, QINGSHI


def _rate(client, code: str, period: str) -> float | None:
    body = client.get("/api/v1/stats/dashboard", params={"jurisdiction": code, "period": period})
    assert body.status_code == 200
    return {m["key"]: m["value"] for m in body.json()["metrics"]}["resolution_rate"]


@pytest.mark.slow
def test_rows_carry_each_child_rate_and_its_change_best_first(session: Session, client_as):
    h.build_history(session, 50, seed=7, first=datetime(2026, 1, 1, tzinfo=UTC), days=170,
                    focus=QINGSHI[:9])  # fmt: skip
    county = current_jurisdiction(session, COUNTY)
    assert county is not None
    q2 = parse_period("2026-Q2")
    view = BoardView(county, q2, rate="resolution_rate")
    rows = ranking(session, view, dashboard(session, county, q2))
    assert len(rows) == 8
    chen = client_as("chen")
    valued = [r for r in rows if r.value is not None]
    assert valued and [r.value for r in valued] == sorted((r.value for r in valued), reverse=True)
    assert all(r.value is None for r in rows[len(valued) :])  # no figure: last
    changed = 0
    for r in rows:
        assert r.value == _rate(chen, r.code, "2026-Q2"), r.code
        before = _rate(chen, r.code, "2026-Q1")
        expected = None if r.value is None or before is None else r.value - before
        assert r.mom == expected, r.code
        assert r.yoy is None  # nothing registered in 2025
        changed += r.mom is not None
        assert f"jurisdiction={r.code}" in r.href and "period=2026-Q2" in r.href
    assert changed > 0
