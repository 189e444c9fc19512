"""The demo county's leads: the city's batch cleared to zero, a local batch in progress,
built through the real actions (their figures come from the maintained tally)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from grassroots.demo.build import build_demo_geography, county_of
from grassroots.demo.leads import CITY_OFFICE, build_demo_leads
from grassroots.leads.models import Lead
from grassroots.leads.reporting.figures import lead_figures


def test_demo_leads(fresh_engine: Engine):
    with Session(fresh_engine, expire_on_commit=False) as session:
        tree = build_demo_geography(session)
        codes = build_demo_leads(session, county_of(tree), today=date(2026, 12, 1))
        assert len(codes) == 10
        states = {c: s for c, s in session.execute(select(Lead.code, Lead.state))}
        figures = lead_figures(session, "990101", None, date(2026, 12, 1))
    city = [g for g in figures.by_batch if g.issuing_body == CITY_OFFICE]
    assert len(city) == 1 and city[0].figure.cleared_to_zero and city[0].figure.received == 6
    assert sorted(states[c] for c in codes[6:]) == ["assigned", "received", "verified", "verifying"]
    assert figures.overall.received == 10 and not figures.overall.cleared_to_zero
    assert figures.overall.overdue == 0
