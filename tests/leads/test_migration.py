"""Migration 0020b builds lead_tally from the leads already stored (a database that ran 0020
alone), so that the figures agree with the rows from the start."""

from __future__ import annotations

from datetime import date

import pytest
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


@pytest.mark.slow
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


def _texts(engine: Engine) -> list[tuple[str, str, str, list[str]]]:
    """(code, content, actions taken, notes) of every lead, read through the sealing."""
    from grassroots.leads.models import Lead, LeadEvent
    from grassroots.leads.sealing import LEAD_USAGE, unseal

    with Session(engine) as session:
        out = []
        for lead in session.scalars(select(Lead).order_by(Lead.id)):
            notes = session.scalars(
                select(LeadEvent.note_enc)
                .where(LeadEvent.lead_id == lead.id)
                .order_by(LeadEvent.id)
            )
            out.append((
                lead.code, unseal(LEAD_USAGE, "content", lead.content_enc) or "",
                unseal(LEAD_USAGE, "actions_taken", lead.actions_taken_enc) or "",
                [unseal(LEAD_USAGE, "note", n) or "" for n in notes],
            ))  # fmt: skip
        return out


def test_0030_seals_the_texts_stored_in_clear_and_back(fresh_engine: Engine) -> None:
    """Down to 0020b the texts are in clear columns again (what 0030 finds on an existing
    database); up again they are sealed and read the same."""
    from sqlalchemy import text

    with Session(fresh_engine, expire_on_commit=False) as session:
        tree = build_demo_geography(session)
        build_demo_leads(session, county_of(tree), today=date(2026, 12, 1))
    kept = _texts(fresh_engine)
    assert any(notes for *_, notes in kept) and all(content for _, content, _, _ in kept)
    cfg = alembic_config(fresh_engine.url.render_as_string(hide_password=False))
    with fresh_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0020b")
    with fresh_engine.connect() as conn:
        clear = conn.execute(text("SELECT code, content FROM lead ORDER BY id")).all()
        assert [(c, t) for c, t, _, _ in kept] == [tuple(r) for r in clear]
        notes = conn.execute(text("SELECT note FROM lead_event WHERE note != ''")).all()
        assert notes  # the staff notes are in clear before 0030
    upgrade_schema(fresh_engine)
    assert _texts(fresh_engine) == kept
    with fresh_engine.connect() as conn:
        columns = conn.execute(text("SELECT * FROM lead_event")).keys()
        assert "note" not in columns
