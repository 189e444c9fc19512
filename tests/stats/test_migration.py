"""Upgrading a database that already holds cases fills the aggregates from them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from grassroots.cases.deadlines.models import DeadlinePolicy
from grassroots.cases.models import Case, DeadlineRecord
from grassroots.cases.tallies.contribution import ALL_PLACES
from grassroots.cases.tallies.maintain import KEY_COLUMNS, TABLES
from grassroots.cases.tallies.models import CohortAggregate, FigureAggregate
from grassroots.db import alembic_config, upgrade_schema
from grassroots.demo.build import build_demo_geography
from grassroots.stats.periods import parse_period
from grassroots.stats.scope import Scope
from tests.stats import history as h
from tests.stats.conftest import CITY, COUNTY, assert_agree

ROLLED_UP = ("cohort", "due", "open", "open_month", "overdue_day", "overdue_month")


@pytest.mark.slow
def test_upgrade_over_existing_cases_builds_the_aggregates(fresh_engine: Engine) -> None:
    with Session(fresh_engine, expire_on_commit=False) as session:
        build_demo_geography(session)
        h.build_history(session, 12, seed=2, first=datetime(2026, 1, 5, tzinfo=UTC), days=40)
    cfg = alembic_config(fresh_engine.url.render_as_string(hide_password=False))
    with fresh_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005")  # as before statistics existed
    upgrade_schema(fresh_engine)
    with Session(fresh_engine) as session:
        assert session.scalar(select(func.count()).select_from(CohortAggregate))
        for text in ("2026-01", "2026-02", "2026-Q1"):
            assert_agree(session, Scope("county", COUNTY), parse_period(text), date(2026, 3, 1))


@pytest.mark.slow
def test_0013_fills_stats_figures_and_the_end_of_terminated_and_rejected_cases(
    fresh_engine: Engine,
) -> None:
    with Session(fresh_engine, expire_on_commit=False) as session:
        build_demo_geography(session)
        h.build_history(session, 40, seed=7, first=datetime(2026, 1, 5, tzinfo=UTC), days=50)
    cfg = alembic_config(fresh_engine.url.render_as_string(hide_password=False))
    with fresh_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0015")  # before stats_figures; endings had no closed_at
        ended = Case.state.in_(["terminated", "rejected"])
        conn.execute(update(Case).where(ended).values(closed_at=None))
    upgrade_schema(fresh_engine)
    with Session(fresh_engine) as session:
        assert session.scalar(select(func.count()).select_from(FigureAggregate))
        endings = session.scalars(select(Case).where(Case.state.in_(["terminated", "rejected"])))
        assert all(c.closed_at is not None for c in endings)
        for text in ("2026-01", "2026-02", "2026-Q1"):
            assert_agree(session, Scope("county", COUNTY), parse_period(text), date(2026, 3, 1))


def _deadline_history(session: Session) -> list[tuple[str, int, str, date, str, bool]]:
    rows = session.execute(
        select(Case.code, Case.missed_deadlines, DeadlineRecord.level, DeadlineRecord.due,
               DeadlineRecord.ended_by, DeadlineRecord.missed)
        .join(DeadlineRecord, DeadlineRecord.case_id == Case.id)
        .order_by(Case.code, DeadlineRecord.id)
    )  # fmt: skip
    return [tuple(r) for r in rows]


@pytest.mark.slow
def test_0016_rebuilds_the_deadline_history_from_the_timeline(fresh_engine: Engine) -> None:
    """Cases escalated late, referred, reworked: the backfill finds the same superseded
    deadlines (the policies and calendar have not changed since), and 按期 agrees."""
    start = datetime(2026, 1, 5, 2, tzinfo=UTC)
    with Session(fresh_engine, expire_on_commit=False) as session:
        build_demo_geography(session)
        # 0016 recomputes in working days, as every policy counted before 0030_figs_month_limit
        session.execute(update(DeadlinePolicy).values(resolve_months=None))
        session.commit()
        h.build_history(session, 30, seed=11, first=start, days=50)
        w = h.world(session)
        for i, gap in enumerate((3, 40)):  # escalated in time / late at the village
            case = h.register(session, w, w.grids[i], "neighbour", start)
            h.step(session, w, case, "accept", start)
            while case.level != "village":
                h.step(session, w, case, "refer_down", start)
            h.step(session, w, case, "escalate", start + timedelta(days=gap))
            h.step(session, w, case, "assign", start + timedelta(days=gap + 1))
            h.step(session, w, case, "resolve", start + timedelta(days=gap + 2))
        before = _deadline_history(session)
    assert any(row[-1] for row in before), "a missed deadline among them"
    cfg = alembic_config(fresh_engine.url.render_as_string(hide_password=False))
    with fresh_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0020")  # before the deadline history
    upgrade_schema(fresh_engine)
    with Session(fresh_engine) as session:
        assert _deadline_history(session) == before
        for text in ("2026-01", "2026-02", "2026-Q1"):
            assert_agree(session, Scope("county", COUNTY), parse_period(text), date(2026, 4, 1))


def _rows(session: Session) -> dict[str, set[tuple[Any, ...]]]:
    """Every nonzero row of the tables with place roll-ups."""
    out: dict[str, set[tuple[Any, ...]]] = {}
    for name in ROLLED_UP:
        t = TABLES[name]
        keys = [t.c[k] for k in KEY_COLUMNS[name]]
        counters = [c for c in t.c if c.name not in KEY_COLUMNS[name]]
        rows = session.execute(select(*keys, *counters)).all()
        out[name] = {tuple(r) for r in rows if any(r[len(keys) :])}
    return out


@pytest.mark.slow
def test_0033_fills_the_place_roll_ups_from_the_village_rows(fresh_engine: Engine) -> None:
    """Downgraded below 0033 the roll-up rows are gone; upgraded again, the SQL backfill
    writes exactly the rows the contribution code keeps."""
    with Session(fresh_engine, expire_on_commit=False) as session:
        build_demo_geography(session)
        h.build_history(session, 40, seed=5, first=datetime(2026, 1, 5, tzinfo=UTC), days=60)
        before = _rows(session)
    assert any(r[2] == ALL_PLACES for r in before["cohort"]), "county roll-ups kept"
    cfg = alembic_config(fresh_engine.url.render_as_string(hide_password=False))
    with fresh_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0033_federation_keys")
    with Session(fresh_engine) as session:
        left = _rows(session)
        assert not any(ALL_PLACES in r[2:4] for rows in left.values() for r in rows)
        assert all(left[n] <= before[n] for n in ROLLED_UP)
    upgrade_schema(fresh_engine)
    with Session(fresh_engine) as session:
        assert _rows(session) == before
        assert_agree(session, Scope("city", CITY), parse_period("2026-Q1"), date(2026, 4, 1))
