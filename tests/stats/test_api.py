"""GET /api/v1/stats/dashboard: the figures, the child table and the user's scope."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.calendar.today import local_date
from grassroots.cases.models import Case
from tests.stats import history as h
from tests.stats.conftest import COUNTY, QINGSHI

START = datetime(2026, 1, 1, tzinfo=UTC)


def _registered_in_q1(session: Session, prefix: str) -> list[Case]:
    cases = session.scalars(select(Case).where(Case.county_code == COUNTY)).all()
    return [
        c
        for c in cases
        if c.township_code
        and c.township_code.startswith(prefix)
        and local_date(c.registered_at).month in (1, 2, 3)
        and local_date(c.registered_at).year == 2026
    ]


def test_leader_sees_county_figures_and_township_table(session: Session, client_as) -> None:
    h.build_history(session, 40, seed=11, first=START, days=120)
    body = (
        client_as("chen")
        .get("/api/v1/stats/dashboard", params={"jurisdiction": COUNTY, "period": "2026-Q1"})
        .json()
    )
    mine = _registered_in_q1(session, "990101")
    metrics = {m["key"]: m for m in body["metrics"]}
    assert metrics["registered"]["value"] == len(mine)
    resolved = [c for c in mine if c.outcome == "resolved"]
    assert metrics["resolved"]["value"] == len(resolved)
    assert metrics["resolution_rate"]["value"] == len(resolved) / len(mine)
    village = [c for c in resolved if c.resolved_level == "village"]
    expected_local = len(village) / len(resolved) if resolved else None
    assert metrics["local_resolution_rate"]["value"] == expected_local
    rows = {r["code"]: r for r in body["children"]}
    assert len(rows) == 8  # the demo county's townships
    qingshi = [c for c in mine if c.township_code == QINGSHI]
    assert rows[QINGSHI]["values"]["registered"] == len(qingshi)
    assert sum(r["values"]["registered"] for r in rows.values()) == len(mine)


def test_township_staff_sees_only_their_township(client_as) -> None:
    zhao = client_as("zhao")
    ok = zhao.get("/api/v1/stats/dashboard", params={"jurisdiction": QINGSHI, "period": "2026"})
    assert ok.status_code == 200
    assert all(r["code"].startswith(QINGSHI[:9]) for r in ok.json()["children"])
    county = zhao.get("/api/v1/stats/dashboard", params={"jurisdiction": COUNTY, "period": "2026"})
    assert county.status_code == 404
    other = client_as("zhou").get(
        "/api/v1/stats/dashboard", params={"jurisdiction": QINGSHI, "period": "2026"}
    )
    assert other.status_code == 404


def test_bad_period_is_a_clear_error(client_as) -> None:
    r = client_as("chen").get(
        "/api/v1/stats/dashboard", params={"jurisdiction": COUNTY, "period": "2026-Q5"}
    )
    assert r.status_code == 422
    assert r.json()["code"] == "bad_period"


def test_administrator_without_stats_permission_is_refused(client_as) -> None:
    r = client_as("admin").get("/api/v1/stats/definitions")
    assert r.status_code == 403
    assert len(client_as("chen").get("/api/v1/stats/definitions").json()) >= 14


def test_every_definition_has_an_english_name_without_chinese(client_as) -> None:
    definitions = client_as("chen").get("/api/v1/stats/definitions").json()
    assert {d["key"]: d["name"] for d in definitions}["on_time_rate"] == "按期办结率"
    named = {d["key"]: d["name_en"] for d in definitions}
    assert named["on_time_rate"] == "Closed on time"
    assert all(name and not re.search(r"[\u3400-\u9fff]", name) for name in named.values())
    assert len(set(named.values())) == len(named)  # no two metrics share an English name
