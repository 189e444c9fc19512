"""The demo's border work (demo/border.py): a small history shares boundary disputes between
青石镇 and 柳河镇 (联调), then two meetings a quarter for the last four quarters with the
neighbouring fictional county 石岭县 (code prefix 99) named, and the hazards along the
boundary in their statuses; the figures count them."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from grassroots.border.figures import border_figures
from grassroots.border.hazards.models import BorderHazard
from grassroots.border.meetings.models import BorderMeeting
from grassroots.cases.models import Case, CaseShare
from grassroots.demo.border import HAZARDS, build_demo_border
from grassroots.demo.build import build_demo_geography, county_of
from grassroots.demo.history.cases import build_history

TODAY = date(2026, 11, 27)


@pytest.mark.slow
def test_a_year_of_border_work_in_the_demo(fresh_engine: Engine, tmp_path: Path):
    with Session(fresh_engine, expire_on_commit=False) as session:
        county = county_of(build_demo_geography(session))
        build_history(session, county, 5, today=TODAY, cases=160, days=380)
        assert build_demo_border(session, county, TODAY) == (8, len(HAZARDS))
        shares = session.scalars(select(CaseShare)).all()
        assert shares and {s.jurisdiction.code for s in shares} == {"990101002000", "990101003000"}
        assert all(s.role == "co" for s in shares)
        meetings = session.scalars(select(BorderMeeting).order_by(BorderMeeting.held_on)).all()
        quarters = Counter((m.held_on.year, (m.held_on.month - 1) // 3) for m in meetings)
        assert sorted(quarters.values()) == [2, 2, 2, 2]
        assert (2026, 3) not in quarters  # the running quarter: none yet
        assert all(m.outside[0]["code"].startswith("99") for m in meetings)
        assert all(m.decisions for m in meetings) and any(m.cases for m in meetings)
        hazards = session.scalars(select(BorderHazard).order_by(BorderHazard.id)).all()
        assert Counter(h.status for h in hazards) == {
            "controlled": 1,
            "resolved": 2,
            "preventing": 1,
            "screening": 1,
        }
        assert all(len(h.events) == 1 + len(HAZARDS[i].moves) for i, h in enumerate(hazards))
        joint = session.scalar(select(func.count()).select_from(Case).where(
            Case.id.in_(select(CaseShare.case_id))))  # fmt: skip
        assert joint == len(shares)
        year = border_figures(session, "990101", (date(2025, 10, 1), date(2026, 9, 30)))
        assert (year.meetings, year.hazards_settled, year.hazards_open) == (8, 3, 3)
