"""Migration 0020b builds lead_tally from the leads already stored (a database that ran 0020
alone), so that the figures agree with the rows from the start."""

from __future__ import annotations

from datetime import date

from alembic import command
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from grassroots.db import alembic_config, upgrade_schema
from grassroots.demo.build import build_demo_geography, county_of
from grassroots.demo.leads import build_demo_leads
from grassroots.leads.models import LeadTally


def _tally(engine: Engine) -> list[tuple[object, ...]]:
    with Session(engine) as session:
        rows = session.scalars(select(LeadTally)).all()
        return sorted(
            (r.year, r.jurisdiction_code, r.issuing_body, r.batch, r.source, r.category_code,
             r.received, r.verified, r.replied, r.substantiated, r.partly, r.to_case)
            for r in rows
        )  # fmt: skip


def test_0020b_builds_the_tally_from_stored_leads(fresh_engine: Engine) -> None:
    with Session(fresh_engine, expire_on_commit=False) as session:
        tree = build_demo_geography(session)
        build_demo_leads(session, county_of(tree), today=date(2026, 12, 1))
    kept = _tally(fresh_engine)
    assert kept and sum(r[6] for r in kept) == 10
    cfg = alembic_config(fresh_engine.url.render_as_string(hide_password=False))
    with fresh_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0020")  # the tally table is dropped
    upgrade_schema(fresh_engine)
    assert _tally(fresh_engine) == kept
