"""Upgrading a database that already holds cases fills the aggregates from them."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic import command
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from grassroots.cases.tallies.models import CohortAggregate
from grassroots.db import alembic_config, upgrade_schema
from grassroots.demo.build import build_demo_geography
from grassroots.stats.periods import parse_period
from grassroots.stats.scope import Scope
from tests.stats import history as h
from tests.stats.conftest import COUNTY, assert_agree


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
