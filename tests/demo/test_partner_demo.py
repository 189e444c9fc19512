"""The demo's partner deployment (demo/partner.py): 石岭县 registered with a key of its own and
a year of its signed documents received through the real receiving path — its boundary
disputes handled by 青石镇 and 柳河镇, with messages, sessions and resolutions; the 联调
figures count them; building again receives nothing twice."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from grassroots.demo.build import build_demo_geography
from grassroots.demo.partner import CASES, CODE, build_demo_partner
from grassroots.federation.models import FederationEntry, FederationLink, FederationOutgoing
from grassroots.federation.queries import partner_by_code
from grassroots.federation.receiving import Refused
from grassroots.joint.figures import joint_figures

TODAY = date(2026, 11, 27)


def test_a_year_of_a_partners_documents(fresh_engine: Engine) -> None:
    with Session(fresh_engine, expire_on_commit=False) as session:
        build_demo_geography(session)
        received = build_demo_partner(session, TODAY)
        partner = partner_by_code(session, CODE)
        assert partner is not None and partner.active
        links = session.scalars(select(FederationLink).order_by(FederationLink.id)).all()
        assert len(links) == len(CASES) and all(link.case_id is None for link in links)
        assert [link.jurisdiction.code for link in links if link.jurisdiction] == [
            c.to for c in CASES
        ]
        resolved = sum(1 for c in CASES if c.resolved_after is not None)
        assert Counter(link.outcome for link in links)["resolved"] == resolved
        entries = session.scalar(select(func.count()).select_from(FederationEntry))
        assert entries == received == sum(link.in_seq for link in links)
        assert session.scalar(select(func.count()).select_from(FederationOutgoing)) == 0
        year = (date(2025, 11, 27), TODAY)
        assert joint_figures(session, "990101002", year).joined == 3
        assert joint_figures(session, "990101003", year).joined == 2
        assert joint_figures(session, "990101", year).joined_resolved == resolved
        with pytest.raises(Refused):  # the same documents again: refused, nothing doubled
            build_demo_partner(session, TODAY)
        session.rollback()
        assert session.scalar(select(func.count()).select_from(FederationEntry)) == entries
